#!/usr/bin/env python3
"""Word frequencies of text files: memory grows with the number of distinct words and the
size of the largest file (each file is read whole), CPU with the total size.

Usage: wordfreq.py FILE... [--top N]
"""
import collections
import sys

try:  # a heavier stack when it is installed; the standard library otherwise
    import pandas as pd  # noqa: F401
except ImportError:
    pd = None


def main(argv):
    top = 10
    files = []
    it = iter(argv)
    for arg in it:
        if arg == "--top":
            top = int(next(it))
        else:
            files.append(arg)
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    counts = collections.Counter()
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        counts.update(text.lower().split())
    for word, n in counts.most_common(top):
        print(f"{n}\t{word}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
