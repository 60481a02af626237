#!/bin/bash
# Sort, dedupe and compress; uses all threads.
set -euo pipefail
echo "args: $# ${#1}"
sort --parallel=4 -S 50% "$1" | uniq -c | gzip > "$2"
xargs -P 8 -n 1 gzip < list.txt
