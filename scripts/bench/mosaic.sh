#!/usr/bin/env bash
# mosaic.sh SEED [SEED ...] — what the SV scorer does to mosaic SVs (docs/scoring.md, "Mosaic SVs").
# For each seed's simulated benchmark set (bench-data/sim-seedN, made by scripts/bench/make-sim.sh when
# missing), makes three mosaic copies with scripts/bench/make-mosaic.sh: every SV in half of the cells
# (sim-seedN-mosaic50), and the SVs of 20:1.4-3.0 Mb only, in half and in 30 % of the cells
# (sim-seedN-mosaic50r, -mosaic30r); runs LAG on each as a user does (npm run analyze, as the bench);
# prints the table of dist/scripts/bench/scorerLimits.js mosaic. Reuses sets already there (delete
# bench-data/sim-seedN-mosaic* to redo them), and runs made after the last change to model/, shared/ or functions/. About 2 min per seed on 2 cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DATA=${BENCH_DATA:-bench-data}
REGION=${MOSAIC_REGION:-20:1400001-3000000}
[ $# -gt 0 ] || { echo "usage: scripts/bench/mosaic.sh SEED [SEED ...]" >&2; exit 2; }
npm run --silent build
npx --no-install tsc -p scripts/tsconfig.json
sets=()
for seed in "$@"; do
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "SEED must be a non-negative integer: $seed" >&2; exit 2; }
  base=$DATA/sim-seed$seed
  bash scripts/bench/make-sim.sh "$base" "$seed" 30
  for spec in "mosaic50 0.5" "mosaic50r 0.5 $REGION" "mosaic30r 0.3 $REGION"; do
    read -r name fraction region <<< "$spec"
    set_dir=$base-$name
    bash scripts/bench/make-mosaic.sh "$base" "$set_dir" "$fraction" "$seed" ${region:+"$region"}
    run=$set_dir/runs/LAG
    # A run made before the last change to the model or to the code is made again (a stale run once
    # reported the previous scorer's table as the new one's).
    if [ ! -s "$run/calls.vcf.gz" ] || [ -n "$(find model shared functions -newer "$run/calls.vcf.gz" -print -quit)" ]; then
      rm -rf "$run"; mkdir -p "$run"
      echo "[mosaic] LAG on $set_dir" >&2
      LAG_DATA_DIR="$ROOT/$run/lag-data" PORT=0 npm run --silent analyze -- "$ROOT/$set_dir/sim.bam" --out "$ROOT/$run/out" > "$run/stdout.log" 2> "$run/stderr.log" \
        || { echo "[mosaic] LAG failed on $set_dir: see $run/stderr.log" >&2; exit 1; }
      vcf=$(ls "$run"/out/*.vcf.gz | head -1)
      ln -sf "$(basename "$(dirname "$vcf")")/$(basename "$vcf")" "$run/calls.vcf.gz"
      rm -rf "$run/lag-data"
    fi
    sets+=("$set_dir")
  done
done
node dist/scripts/bench/scorerLimits.js mosaic "${sets[@]}"
