#!/bin/bash
# A compression pipeline: gzip the input, decompress it again, count word frequencies with
# sort | uniq -c, and keep the top ten (sed, not head: head would end the pipe early and
# sort would die of SIGPIPE). CPU grows with the input's size; the pipeline's four
# processes run at once, so the tree's memory is their sum.
# Usage: gzip_pipeline.sh TEXT
set -euo pipefail
gzip -c "$1" | gzip -dc | tr -s ' ' '\n' | sort | uniq -c | sort -rn | sed -n '1,10p'
