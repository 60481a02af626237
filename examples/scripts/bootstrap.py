#!/usr/bin/env python3
"""Bootstrap confidence interval of the mean of a CSV's value column.

CPU grows with rows × resamples; memory with the rows held.

Usage: bootstrap.py FILE.csv [RESAMPLES]
"""
import csv
import random
import statistics
import sys
from multiprocessing import Pool  # noqa: F401  (parallel variant not used: n_jobs=1)

try:
    import pymc as pm  # noqa: F401
except ImportError:
    pm = None


def main(path, resamples=200):
    with open(path, newline="") as f:
        values = [float(v) for _, v in list(csv.reader(f))[1:]]
    random.seed(7)
    means = sorted(statistics.fmean(random.choices(values, k=len(values))) for _ in range(resamples))
    lo, hi = means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]
    print(f"mean {statistics.fmean(values):.4f}, 95% CI [{lo:.4f}, {hi:.4f}] from {resamples} resamples")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200)
