"""Exits 42 on SIGINT or SIGHUP after saying which arrived; otherwise sleeps 30 s."""
import signal, sys, time
def bye(sig, frame):
    print("got", signal.Signals(sig).name, flush=True)
    sys.exit(42)
signal.signal(signal.SIGINT, bye)
signal.signal(signal.SIGHUP, bye)
time.sleep(30)
