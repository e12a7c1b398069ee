#!/bin/bash
# Usage (from the repository root, after ./mvnw -q package -DskipTests): src/bench/memory.sh
# G: the launcher, D: the MNIST folder, W: a scratch folder (default: a new temporary one).
# Peak resident memory and peak heap of every command on the 60,000 training digits, with the launcher's defaults.
G=${G:-target/gan/bin/gan}
D=${D:-../shared/data/mnist}
W=${W:-$(mktemp -d)}
G=$(realpath "$G"); D=$(realpath "$D"); cd "$W"
measure() {
  name=$1; shift
  GAN_OPTS="-Xlog:gc:file=$W/gc-$name.log" /usr/bin/time -v "$G" "$@" > $W/out-$name.log 2> $W/time-$name.log
  rc=$?
  rss=$(grep "Maximum resident" $W/time-$name.log | awk '{print $NF}')
  wall=$(grep "Elapsed (wall" $W/time-$name.log | awk '{print $NF}')
  heap=$(grep -o '[0-9]*M->[0-9]*M' $W/gc-$name.log | sed 's/M->.*//' | sort -n | tail -1)
  echo "$name | exit $rc | rss $((rss/1024)) MB | heap peak ${heap:-?} MB | wall $wall"
}
measure train-mlp-cgan train --conditional --data $D --epochs 1 --out runs/cgan --quiet
measure train-dcgan train --arch dcgan --data $D --epochs 1 --out runs/dcgan --quiet
measure sample sample --run runs/cgan --count 10000 --format idx --out fake
measure eval eval --run runs/cgan --data $D
measure classifier-train classifier train --data $D --epochs 1 --out $W/clf.zip
cat > $W/exp.yaml <<EOY
name: mem
base: {data: $D, epochs: 1, conditional: true}
grid: {seed: [1, 2]}
eval: {count: 2000}
EOY
measure experiment experiment run $W/exp.yaml --out $W/exp
measure report report runs/cgan
measure bench bench --repeats 3
