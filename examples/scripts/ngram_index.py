#!/usr/bin/env python3
"""An n-gram index of a text: every character n-gram mapped to the offsets where it occurs.

Memory grows quickly with the text's size (one entry per offset); CPU linearly.

Usage: ngram_index.py TEXT [N]
"""
import collections
import sys


def main(path, n=4):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    index = collections.defaultdict(list)
    for i in range(len(text) - n + 1):
        index[text[i:i + n]].append(i)
    common = sorted(index.items(), key=lambda kv: -len(kv[1]))[:3]
    print(f"{len(index)} distinct {n}-grams;", [(g, len(p)) for g, p in common])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4)
