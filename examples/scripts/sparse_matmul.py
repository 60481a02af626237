#!/usr/bin/env python3
"""Product A·Aᵀ of a sparse matrix given as row,col,value triplets.

Memory and CPU grow with the number of non-zeros and how they collide in rows.

Usage: sparse_matmul.py TRIPLETS.csv
"""
import collections
import sys

try:
    from scipy import sparse  # noqa: F401
except ImportError:
    sparse = None


def main(path):
    by_col = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            r, c, v = line.split(",")
            by_col[int(c)].append((int(r), float(v)))
    product = collections.defaultdict(float)
    for entries in by_col.values():
        for i, vi in entries:
            for j, vj in entries:
                product[(i, j)] += vi * vj
    print(f"{len(product)} non-zeros in the product, trace {sum(v for (i, j), v in product.items() if i == j):.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
