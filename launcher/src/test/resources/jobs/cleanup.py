"""A job with a cleanup on Ctrl-C, as real analyses have: the first SIGINT starts a cleanup
that takes a second; a second SIGINT during it interrupts the cleanup (KeyboardInterrupt).

Usage: cleanup.py READY_FILE  (written once the handler is installed; the job then waits 30 s)
Prints "cleanup start" and "cleanup done" and exits 42 when exactly one SIGINT arrived.
"""
import signal
import sys
import time


def cleanup(sig, frame):
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("cleanup start", flush=True)
    time.sleep(1.0)
    print("cleanup done", flush=True)
    sys.exit(42)


signal.signal(signal.SIGINT, cleanup)
with open(sys.argv[1], "w") as ready:
    ready.write("ready\n")
time.sleep(30)
print("no signal came", flush=True)
