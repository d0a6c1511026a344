#!/usr/bin/env bash
# Builds the shipped model in model/ (lm.onnx, classifier.onnx, classifier-ngrams.json, tokenizer.json, model.json) from
# nothing, as model/README.md records it:
#   corpus (+ documentation) -> tokenizer -> pretrain GPT-small -> continued pretraining with the documentation text
#          -> summary tuning (Debian + documentation training families) -> log-label classifier (hybrid) -> ONNX
#          -> benchmarks recorded in model.json (labels: eval; summaries: eval-summaries)
# Run from the repository root after `./mvnw -B package -DskipTests` (hours on two cores):
#   model/build.sh
# Intermediate runs go to model/runs/ and model/data/ (git-ignored); only the served files are committed.
# LECTERN may name another way to start the CLI (see model/pretrain.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
LECTERN=${LECTERN:-"java -XX:+UseTransparentHugePages --add-modules jdk.incubator.vector -jar target/quarkus-app/quarkus-run.jar"}
C=model/data/corpus
R=model/runs
CONTINUE_STEPS=${CONTINUE_STEPS:-4000}
SUMMARY_STEPS=${SUMMARY_STEPS:-700}

[ -f $C/debian-pairs.jsonl ] || model/corpus.sh
[ -f $C/docs.txt ] || model/corpus-docs.sh
[ -f $R/small/model.safetensors ] || model/pretrain.sh small    # the first leg: Brown, Debian, WordNet (9.2M tokens)

# the second leg: the same text plus the documentation (docs.txt; its held-out families are in docs-heldout.txt)
if [ ! -f model/data/tokens2/train.bin ]; then
  $LECTERN tokenize --tokenizer model/data/tokenizer.json --input $C/brown.txt,$C/debian.txt,$C/wordnet.txt,$C/docs.txt \
    --out model/data/tokens2 --val-fraction 0.05 --seed 1337
fi
$LECTERN train --init $R/small --data model/data/tokens2 --out $R/cont2 --seed 1337 --batch 16 --lr 1e-3 --min-lr 1e-4 \
  --warmup 50 --steps "$CONTINUE_STEPS" --eval-every 250 --eval-windows 64 --checkpoint-every 250 2>&1 | tee $R/cont2.log

$LECTERN finetune-summaries --checkpoint $R/cont2 --pairs $C/debian-pairs.jsonl --extra-pairs $C/docs-sections.jsonl \
  --out $R/cont2-summaries --steps "$SUMMARY_STEPS" 2>&1 | tee $R/cont2-summaries.log

# the log-label classifier on the summary-tuned trunk (so lm.onnx and classifier.onnx share one GPT), then the benchmarks
$LECTERN finetune --mode hybrid --checkpoint $R/cont2-summaries --package model
# the decoder's matrices as int8 blocks (CONTRACT.md): generation reads a quarter of the bytes; the classifier stays float32
$LECTERN export-onnx --model model --lm-weights int8
$LECTERN eval --task log-labels --model model --record | tee $R/eval-log-labels.md
$LECTERN eval-summaries --model model --pairs $C/debian-pairs.jsonl --pairs2 $C/docs-sections.jsonl --limit 500 --record \
  | tee $R/eval-summaries.md
$LECTERN eval-lm --checkpoint $R/cont2 --tokens model/data/tokens2/val.bin
java -Djava.awt.headless=true model/PlotLoss.java model/small_val_loss.png $R/small $R/cont2
du -ch model/*.onnx model/*.json
