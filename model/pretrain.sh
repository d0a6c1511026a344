#!/usr/bin/env bash
# The whole pretraining pipeline, as recorded in model/README.md:
#   corpus -> tokenizer-train -> tokenize -> train (GPT-micro learned, GPT-micro NoPE, GPT-mini; GPT-small, the
#   shipped model's pretraining, which model/build.sh runs).
# Run from the repository root after `./mvnw -B package -DskipTests`:
#   model/pretrain.sh                 # everything
#   model/pretrain.sh micro-learned   # one run (micro-learned | micro-nope | mini-learned | small)
# LECTERN may name another way to start the CLI, e.g.
#   LECTERN="java --add-modules jdk.incubator.vector -cp target/classes:$(cat cp.txt) lectern.cli.LecternCli"
set -euo pipefail
cd "$(dirname "$0")/.."
LECTERN=${LECTERN:-"java -XX:+UseTransparentHugePages --add-modules jdk.incubator.vector -jar target/quarkus-app/quarkus-run.jar"}
C=model/data/corpus
MICRO_STEPS=${MICRO_STEPS:-500}
MINI_STEPS=${MINI_STEPS:-200}
SMALL_STEPS=${SMALL_STEPS:-2250}

[ -f $C/debian.txt ] || model/corpus.sh
if [ ! -f model/data/tokens/train.bin ]; then
  $LECTERN tokenizer-train --input $C/brown.txt,$C/debian.txt,$C/wordnet.txt --vocab 4096 --out model/data/tokenizer.json
  $LECTERN tokenize --tokenizer model/data/tokenizer.json --input $C/brown.txt,$C/debian.txt,$C/wordnet.txt \
    --out model/data/tokens --val-fraction 0.05 --seed 1337
fi

run() {
  local name=$1; shift
  $LECTERN train --data model/data/tokens --out model/runs/$name --seed 1337 --eval-every 50 --eval-windows 64 \
    --checkpoint-every 200 "$@" 2>&1 | tee model/runs/$name.log
}
mkdir -p model/runs
which=${1:-all}
if [ "$which" = all ] || [ "$which" = micro-learned ]; then run micro-learned --config micro --positions learned --steps "$MICRO_STEPS"; fi
if [ "$which" = all ] || [ "$which" = micro-nope ]; then run micro-nope --config micro --positions none --steps "$MICRO_STEPS"; fi
if [ "$which" = all ] || [ "$which" = mini-learned ]; then run mini-learned --config mini --positions learned --steps "$MINI_STEPS"; fi
# batch 16 x 256 tokens = 4,096 tokens a step: 2,250 steps are 9.2M tokens, 0.87 of an epoch of the 10.6M training tokens
if [ "$which" = small ]; then
  $LECTERN train --data model/data/tokens --out model/runs/small --seed 1337 --config small --batch 16 --lr 2e-3 \
    --eval-every 100 --eval-windows 64 --checkpoint-every 250 --steps "$SMALL_STEPS" 2>&1 | tee model/runs/small.log
fi
