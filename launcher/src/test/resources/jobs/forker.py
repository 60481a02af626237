"""Forks N children that each hold MB megabytes at the same time, then waits for them.

Usage: forker.py N MB [PID_FILE] [SECONDS]
"""
import os
import sys
import time

n = int(sys.argv[1])
mb = int(sys.argv[2])
pid_file = sys.argv[3] if len(sys.argv) > 3 else None
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
children = []
for _ in range(n):
    pid = os.fork()
    if pid == 0:
        block = bytearray(mb * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(seconds)
        os._exit(0)
    children.append(pid)
if pid_file:
    with open(pid_file, "w") as f:
        f.write("\n".join(str(p) for p in [os.getpid()] + children) + "\n")
for pid in children:
    os.waitpid(pid, 0)
print("children done")
