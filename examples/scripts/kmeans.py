#!/usr/bin/env python3
"""k-means (Lloyd's algorithm) on points read from a CSV of x,y rows.

CPU grows with points × k × iterations, memory with the number of points.

Usage: kmeans.py POINTS.csv [K] [ITERATIONS]
"""
import random
import sys

try:
    import numpy as np  # noqa: F401
    from sklearn.cluster import KMeans  # noqa: F401
except ImportError:
    np = None


def main(path, k=8, iterations=10):
    with open(path) as f:
        points = [tuple(map(float, line.split(","))) for line in f if line.strip()]
    random.seed(1)
    centres = random.sample(points, k)
    for _ in range(iterations):
        groups = [[] for _ in range(k)]
        for x, y in points:
            best = min(range(k), key=lambda c: (x - centres[c][0]) ** 2 + (y - centres[c][1]) ** 2)
            groups[best].append((x, y))
        centres = [
            (sum(p[0] for p in g) / len(g), sum(p[1] for p in g) / len(g)) if g else centres[i]
            for i, g in enumerate(groups)
        ]
    print("centres:", [(round(x, 2), round(y, 2)) for x, y in centres])


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], int(args[1]) if len(args) > 1 else 8, int(args[2]) if len(args) > 2 else 10)
