#!/bin/sh
# Sorts a text file, removes duplicate lines and compresses the result.
# CPU and memory grow with the file's size (sort holds a buffer of it).
# Usage: dedup_sort.sh TEXT OUT.gz
set -eu
sort -S 25% "$1" | uniq | gzip -c > "$2"
echo "$(zcat "$2" | wc -l) distinct lines"
