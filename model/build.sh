#!/usr/bin/env bash
# Builds the shipped model in model/ (lm.onnx, classifier.onnx, tokenizer.json, model.json) from nothing, as
# model/README.md records it:
#   corpus -> tokenizer -> pretrain GPT-small -> summary tuning (Debian training families)
#          -> log-label classifier -> ONNX -> summarization benchmark recorded in model.json
# Run from the repository root after `./mvnw -B package -DskipTests` (about two hours on two busy cores):
#   model/build.sh
# Intermediate runs go to model/runs/ and model/data/ (git-ignored); only model/*.onnx, tokenizer.json and
# model.json are committed. LECTERN may name another way to start the CLI (see model/pretrain.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
LECTERN=${LECTERN:-"java --add-modules jdk.incubator.vector -jar target/quarkus-app/quarkus-run.jar"}
C=model/data/corpus
R=model/runs
SUMMARY_STEPS=${SUMMARY_STEPS:-600}
CLASSIFIER_MODE=${CLASSIFIER_MODE:-last-block}

[ -f $C/debian-pairs.jsonl ] || model/corpus.sh
[ -f $R/small/model.safetensors ] || model/pretrain.sh small

$LECTERN finetune-summaries --checkpoint $R/small --pairs $C/debian-pairs.jsonl --out $R/small-summaries \
  --steps "$SUMMARY_STEPS" 2>&1 | tee $R/small-summaries.log

# held-out accuracy of each mode on the learning-log set (model/EVAL.md), then the shipped head on all 203 items
for mode in head last-block lora; do
  $LECTERN finetune --checkpoint $R/small-summaries --mode $mode | tee $R/log-labels-$mode.md
done
$LECTERN finetune --checkpoint $R/small-summaries --mode "$CLASSIFIER_MODE" --package model

$LECTERN eval-summaries --model model --pairs $C/debian-pairs.jsonl --limit 500 --record | tee $R/eval-summaries.md
du -ch model/*.onnx model/tokenizer.json model/model.json
