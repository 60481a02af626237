#!/usr/bin/env python3
"""Group-by aggregation of a CSV (key,value rows): sum, count and mean per key.

Memory grows with the number of rows held (the file is loaded whole, as analysts do) and the
number of distinct keys; CPU with the number of rows.

Usage: groupby.py FILE.csv
"""
import csv
import sys

try:  # the usual tool when present; the standard library otherwise
    import pandas as pd  # noqa: F401
except ImportError:
    pd = None


def main(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    totals = {}
    for key, value in rows[1:]:
        s, n = totals.get(key, (0.0, 0))
        totals[key] = (s + float(value), n + 1)
    for key in sorted(totals)[:5]:
        s, n = totals[key]
        print(f"{key}\t{n}\t{s:.3f}\t{s / n:.3f}")
    print(f"{len(totals)} groups from {len(rows) - 1} rows")


if __name__ == "__main__":
    main(sys.argv[1])
