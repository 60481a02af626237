"""Allocates MB megabytes gradually (touching every page), holds them, then exits.

Usage: hog.py MB [HOLD_SECONDS] [MARKER_FILE]
"""
import sys
import time

mb = int(sys.argv[1])
hold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as marker:
        marker.write("started\n")
chunks = []
for _ in range(0, mb, 10):
    chunk = bytearray(10 * 1024 * 1024)
    for i in range(0, len(chunk), 4096):
        chunk[i] = 1
    chunks.append(chunk)
    time.sleep(0.02)
time.sleep(hold)
print("allocated", mb, "MB")
