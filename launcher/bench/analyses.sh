# Sourced by the benchmarks: `analyses SCRIPTS INPUTS SIZE` prints the command lines of the
# seven CPU-bound example analyses (examples/scripts) on the inputs make_inputs.py wrote for
# SIZE, one per line.
analyses() {
  local scripts=$1 in=$2 s=$3
  cat <<JOBS
python3 $scripts/wordfreq.py $in/text-$s.txt
python3 $scripts/groupby.py $in/values-$s.csv
python3 $scripts/kmeans.py $in/points-$s.csv 6 8
python3 $scripts/sparse_matmul.py $in/triplets-$s.csv
python3 $scripts/ngram_index.py $in/text-$s.txt
python3 $scripts/bootstrap.py $in/values-$s.csv 60
bash $scripts/gzip_pipeline.sh $in/text-$s.txt
JOBS
}
