#!/usr/bin/env python3
"""Writes inputs of many sizes for the example analyses.

Usage: make_inputs.py OUTDIR [SIZE ...]   (sizes in thousands of rows; default 5 20 50 100 200)

For each size S it writes text-S.txt (S×1000 words), values-S.csv (key,value rows),
points-S.csv (x,y points, S×100 of them) and triplets-S.csv (sparse matrix entries).
"""
import os
import random
import sys


def main(out, sizes):
    os.makedirs(out, exist_ok=True)
    random.seed(42)
    vocabulary = ["".join(random.choice("acgtnrwyk") for _ in range(random.randint(3, 9)))
                  for _ in range(30000)]
    for s in sizes:
        n = s * 1000
        with open(os.path.join(out, f"text-{s}.txt"), "w") as f:
            for i in range(n):
                f.write(random.choice(vocabulary) + ("\n" if i % 12 == 11 else " "))
        with open(os.path.join(out, f"values-{s}.csv"), "w") as f:
            f.write("key,value\n")
            for i in range(n):
                f.write(f"k{random.randint(0, s * 10)},{random.gauss(10, 3):.4f}\n")
        with open(os.path.join(out, f"points-{s}.csv"), "w") as f:
            for i in range(s * 100):
                c = i % 8
                f.write(f"{random.gauss(c * 3, 1):.3f},{random.gauss(c % 3, 1):.3f}\n")
        with open(os.path.join(out, f"triplets-{s}.csv"), "w") as f:
            for i in range(s * 20):
                f.write(f"{random.randint(0, s * 5)},{random.randint(0, s)},{random.random():.4f}\n")
    print(f"wrote inputs for sizes {sizes} to {out}")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[2:]] or [5, 20, 50, 100, 200]
    main(sys.argv[1], sizes)
