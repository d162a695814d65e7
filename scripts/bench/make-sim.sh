#!/usr/bin/env bash
# make-sim.sh OUTDIR SEED [COVERAGE]
# The simulated benchmark genome: 11 Mb of real GRCh37 chromosome 20 (20:30,000,001-41,000,000,
# right of the centromere gap; 0.45 % N) named `20`, plus the first 3 Mb of GRCh37 chromosome 1
# named `1`, so that ../shared/bench/simulate.sh (which implants a balanced translocation between
# the two longest contigs) can make every SV class. Coordinates are local to these pieces:
# position 1 of contig `20` is GRCh37 20:30,000,001.
# Reuses OUTDIR when it already holds sim.bam, sim.bam.bai and truth.vcf.gz.
set -euo pipefail
OUT=$1; SEED=$2; COV=${3:-30}
SHARED=${LAG_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
CHR20=$SHARED/data/grch37-chr20-reference/20.fa.gz
CHR1=$SHARED/data/smoove-hg002-grch37-chr1-3mb/subset.fa.gz
REGION20=${BENCH_REGION20:-20:30000001-41000000}

if [ -s "$OUT/sim.bam" ] && [ -s "$OUT/sim.bam.bai" ] && [ -s "$OUT/truth.vcf.gz" ]; then
  echo "[make-sim] reusing $OUT (delete it to simulate again)"
  exit 0
fi
for f in "$CHR20" "$CHR1" "$SHARED/bench/simulate.sh"; do
  [ -s "$f" ] || { echo "[make-sim] missing $f: the benchmark reads ../shared (set LAG_SHARED_DIR)" >&2; exit 2; }
done
mkdir -p "$OUT"
# source reference: contig `1` (3 Mb) then contig `20` (11 Mb), 60 bp lines
{
  samtools faidx "$CHR1" 1
  samtools faidx "$CHR20" "$REGION20" | sed '1s/.*/>20/'
} > "$OUT/source.fa"
echo "[make-sim] source.fa: 1 = GRCh37 1:1-3,000,000; 20 = GRCh37 $REGION20"
bash "$SHARED/bench/simulate.sh" "$OUT/source.fa" "$OUT" "$SEED" "$COV"
