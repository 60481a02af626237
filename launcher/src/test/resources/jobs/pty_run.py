"""Runs a command in a real pseudo-terminal, as a user's shell would, and interrupts it.

Usage: pty_run.py ctrl-c|kill READY_FILE CMD ARGS...
Once READY_FILE exists: `ctrl-c` types Ctrl-C into the terminal (the kernel then signals the
terminal's whole foreground process group); `kill` sends SIGINT to the command's process alone
(a kill from elsewhere). Prints everything the command wrote to the terminal, then exits with
the command's exit code (128 + N when a signal N killed it; 3 when it never got ready).
"""
import os
import pty
import select
import signal
import sys
import time

mode, ready, command = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    # As an interactive shell starts a foreground job: default signal dispositions, whatever
    # this test's own parent ignored (a background job of a script ignores SIGINT, and a JVM
    # that inherits that never installs a handler for it).
    for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    os.execvp(command[0], command)

output = bytearray()


def pump(seconds):
    """Reads what the command writes for up to `seconds`; False once the terminal closed."""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            output.extend(chunk)
    return True


deadline = time.time() + 60
while not os.path.exists(ready) and time.time() < deadline:
    pump(0.05)
if not os.path.exists(ready):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.stdout.write(output.decode(errors="replace"))
    sys.exit(3)
pump(0.3)
if mode == "ctrl-c":
    os.write(fd, b"\x03")
else:
    os.kill(pid, signal.SIGINT)
while pump(1.0):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
