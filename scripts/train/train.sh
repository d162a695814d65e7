#!/usr/bin/env bash
# npm run train — regenerates LAG's SV scorer from scratch (issue 4):
# 1. simulated training genomes (scripts/train/make-training-sims.sh: 25 seeds, 15-45x, regions of
#    GRCh37 chr20 and GRCh38 chr21 the benchmark never uses), each also with the artefact layer
#    (scripts/bench/add-artefacts.sh), reused when present;
# 2. every candidate LAG's caller makes on them, with features and truth labels
#    (dist/scripts/train/export-candidates.js);
# 3. the held-out sets: the benchmark genome (seed 42, scripts/bench/make-sim.sh) and its copy with the
#    artefact layer (artefact seed 42, never used in training), made if missing;
# 4. scripts/train/train.py (Debian python3-sklearn, python3-onnx; /usr/bin/python3): gradient-boosted
#    trees, Platt calibration, per-type thresholds -> model/sv-scorer.onnx, model/sv-scorer.json;
# 5. model/MODEL.md, the model card, written from sv-scorer.json (dist/scripts/train/model-card.js).
# Deterministic: the same inputs give the same model. Takes ~25 min the first time on 2 cores (simulation), ~2 min after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DATA=${BENCH_DATA:-bench-data}
OUT=${MODEL_DIR:-model}
VERSION=${MODEL_VERSION:-$(date -u +%Y%m%d)-1}
log() { echo "[train] $(date +%H:%M:%S) $*" >&2; }

missing=()
for t in samtools bcftools tabix bwa art_illumina; do command -v "$t" >/dev/null || missing+=("$t"); done
/usr/bin/python3 -c 'import sklearn, onnx' 2>/dev/null || missing+=(python3-sklearn)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq samtools bcftools tabix bwa art-nextgen-simulation-tools python3-sklearn python3-onnx >/dev/null
  else
    echo "missing: ${missing[*]}: apt-get install samtools bcftools tabix bwa art-nextgen-simulation-tools python3-sklearn python3-onnx" >&2; exit 2
  fi
fi

log "compiling (npx tsc -p scripts/tsconfig.json)"
npx --no-install tsc -p scripts/tsconfig.json
log "training genomes"
bash scripts/train/make-training-sims.sh "$DATA/train"
log "held-out genomes (the benchmark's, without and with its artefact layer)"
bash scripts/bench/make-sim.sh "$DATA/sim-seed42" 42 30
bash scripts/bench/add-artefacts.sh "$DATA/sim-seed42" "$DATA/sim-seed42-artefacts" 42 30
mkdir -p "$DATA/model" "$OUT"
log "exporting candidates"
node dist/scripts/train/export-candidates.js "$DATA/model/train.jsonl" "$DATA"/train/seed*/
node dist/scripts/train/export-candidates.js "$DATA/model/heldout.jsonl" "$DATA/sim-seed42" "$DATA/sim-seed42-artefacts"
log "training (scripts/train/train.py)"
/usr/bin/python3 scripts/train/train.py "$DATA/model/train.jsonl" "$DATA/model/heldout.jsonl" "$DATA/model/train.features.json" "$OUT" "$VERSION"
node dist/scripts/train/model-card.js "$OUT"
log "done: $OUT/sv-scorer.onnx ($(stat -c %s "$OUT/sv-scorer.onnx") bytes), $OUT/MODEL.md"
