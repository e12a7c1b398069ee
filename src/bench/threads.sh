#!/usr/bin/env bash
# gan on 1 and 2 threads (or THREADS="1 2 4"), side by side with PyTorch at the same thread counts, in interleaved
# rounds: median ms per iteration of training (the GANs and the eval classifier's LeNet), seconds of whole
# classifier-training and eval commands (JVM start, data reading and the JIT included).
# gan's benches warm up until the JIT has settled (gan bench's --warmup auto): while it compiles it takes a core
# from two computing threads, not from one, and a run of minutes is past it in seconds.
# Run from the repository root after ./mvnw -q package -DskipTests, on a quiet machine:
#   src/bench/threads.sh [rounds] > threads.tsv
# Needs ../shared/data/mnist (or DATA=...), and Debian's python3-torch with an optimised BLAS (libopenblas0-pthread)
# for the PyTorch side (skipped without them: on the reference BLAS PyTorch runs several times slower).
set -euo pipefail
rounds="${1:-2}"
gan=target/gan/bin/gan
data="${DATA:-../shared/data/mnist}"
torch=/usr/bin/python3
script=src/bench/python/torch_reference.py
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
have_torch=1; "$torch" -c "import torch" 2>/dev/null || have_torch=0
# On Netlib's reference BLAS (Debian's python3-torch without libopenblas0-pthread) PyTorch's figures would mislead.
if [ "$have_torch" = 1 ] && ! "$torch" "$script" --check-blas >/dev/null; then have_torch=0; fi
[ "$have_torch" = 1 ] || echo "threads.sh: no PyTorch rows (python3-torch missing or on the reference BLAS)" >&2

# A cGAN to evaluate, one epoch on all the training digits as a user's run has them (the eval's cost does not
# depend on how well it draws, but its memorisation check compares samples with every training digit).
"$gan" train --conditional --data "$data" --epochs 1 --out "$work/run" --quiet --threads 1 >/dev/null
# One untimed eval with the classifier the rounds train (the same seed, the same weights): every timed eval then
# finds the reference features and the memorisation threshold in ~/.gan/cache, as a user's every eval but the
# first does.
"$gan" classifier train --data "$data" --limit 10000 --epochs 1 --out "$work/c.zip" --force --json >/dev/null 2>&1
"$gan" eval --run "$work/run" --data "$data" --count 10000 --classifier "$work/c.zip" --force --json >/dev/null 2>&1

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }   # round, threads, work, ms or s
gan_bench() { # threads, label, arguments...
  local t=$1 label=$2; shift 2
  "$gan" bench --threads "$t" --json "$@" | while read -r line; do
    model=$(sed 's/.*"model":"\([a-z]*\).*/\1/' <<<"$line")
    row "$round" "$t" "gan $label $model" "$(sed 's/.*"median_ms_per_iteration":\([0-9.]*\).*/\1/' <<<"$line")"
  done
}
torch_bench() { # threads, label, arguments...
  local t=$1 label=$2; shift 2
  [ "$have_torch" = 1 ] || return 0
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$torch" "$script" --threads "$t" "$@" 2>/dev/null \
    | awk -v r="$round" -v t="$t" -v l="$label" '$4 ~ /^[0-9.]+$/ {printf "%s\t%s\tpytorch %s %s\t%s\n", r, t, l, $1, $4}'
}
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }

printf 'round\tthreads\twork\tms_or_s\n'
for round in $(seq "$rounds"); do
  for t in ${THREADS:-1 2}; do
    gan_bench "$t" "mlp b100" --model both --iterations 100 --repeats 3
    torch_bench "$t" "mlp b100" --arch mlp --warmup 50 --iterations 100 --repeats 3
    gan_bench "$t" "dcgan w64 b100" --arch dcgan --model both --iterations 20 --repeats 3
    torch_bench "$t" "dcgan w64 b100" --arch dcgan --warmup 5 --iterations 20 --repeats 3
    gan_bench "$t" "dcgan w64 b25" --arch dcgan --model both --batch-size 25 --iterations 60 --repeats 3
    torch_bench "$t" "dcgan w64 b25" --arch dcgan --batch-size 25 --warmup 10 --iterations 60 --repeats 3
    gan_bench "$t" "dcgan w128 b25" --arch dcgan --model conditional --hidden 128 --batch-size 25 \
      --iterations 30 --repeats 3
    gan_bench "$t" "lenet b64" --arch lenet --iterations 100 --repeats 3
    torch_bench "$t" "lenet b64" --arch lenet --batch-size 64 --warmup 20 --iterations 100 --repeats 3
    row "$round" "$t" "gan classifier train 10000 digits 1 epoch (s)" "$(seconds "$gan" classifier train --threads "$t" \
      --data "$data" --limit 10000 --epochs 1 --out "$work/c.zip" --force --json)"
    row "$round" "$t" "gan classifier train, the default: 60000 digits 5 epochs (s)" "$(seconds "$gan" classifier \
      train --threads "$t" --data "$data" --out "$work/full.zip" --force --json)"
    row "$round" "$t" "gan eval 10000 samples (s)" "$(seconds "$gan" eval --threads "$t" --run "$work/run" \
      --data "$data" --count 10000 --classifier "$work/c.zip" --force --json)"
  done
done
