"""Exits 42 on SIGINT or SIGHUP after saying which arrived; otherwise sleeps 30 s.

Usage: trap.py [READY_FILE]  (written once the handlers are installed)
"""
import signal
import sys
import time


def bye(sig, frame):
    print("got", signal.Signals(sig).name, flush=True)
    sys.exit(42)


signal.signal(signal.SIGINT, bye)
signal.signal(signal.SIGHUP, bye)
if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as ready:
        ready.write("ready\n")
time.sleep(30)
