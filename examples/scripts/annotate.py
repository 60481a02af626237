#!/usr/bin/env python3
"""Annotates queries against a reference held in memory, waiting on a (simulated) remote
service between batches — an I/O-bound job: memory grows with the reference's size, wall time
with the number of batches, CPU stays low.

Usage: annotate.py REFERENCE.txt [BATCHES] [WAIT_SECONDS]
"""
import sys
import time


def main(path, batches=20, wait=0.1):
    with open(path, encoding="utf-8", errors="replace") as f:
        reference = {}
        for i, line in enumerate(f):
            for word in line.split():
                reference.setdefault(word, []).append(i)
        table = [line for line in open(path, encoding="utf-8", errors="replace")]
    hits = 0
    words = list(reference)[:1000]
    for b in range(batches):
        for w in words[b % 10::10]:
            hits += len(reference.get(w, ()))
        time.sleep(wait)  # the remote service answers
    print(f"{len(reference)} reference terms, {len(table)} lines, {hits} hits")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]) if len(a) > 1 else 20, float(a[2]) if len(a) > 2 else 0.1)
