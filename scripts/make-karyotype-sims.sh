#!/usr/bin/env bash
# SIMULATED DATA: writes the karyotype test BAMs (+ BAI) into test/data/karyotype-sims/
# (git-ignored) or the folder given: full GRCh37 header, synthetic read pairs at ~0.01x
# whose density encodes 46,XX / 46,XY / 47,XY,+21 / 45,X / mosaic +18 (30 %) /
# 46,XY,del(5)(p11). The generator is test/sims/karyotypeSims.ts (seeded, deterministic
# for a given samtools version); the jest test test/integration/karyotypeSims.test.ts
# runs the same code into a temp dir, so this script is only for looking at the files.
# About 2 s and ~17 MB per BAM (uncompressed BGZF blocks; see docs/karyotype.md). Needs: samtools,
# node, the repo's node_modules.
# Usage: scripts/make-karyotype-sims.sh [output dir]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/test/data/karyotype-sims}")
command -v samtools >/dev/null || { echo "missing tool: samtools" >&2; exit 1; }
BUILD="$ROOT/.lag/karyotype-sims-build" # .lag/ is git-ignored
rm -rf "$BUILD"
cd "$ROOT"
npx tsc --outDir "$BUILD" --rootDir "$ROOT" --module commonjs --target es2022 --strict --skipLibCheck \
  --types node test/sims/karyotypeSims.ts
node "$BUILD/test/sims/karyotypeSims.js" "$OUT"
rm -rf "$BUILD"
