#!/usr/bin/env bash
# make-mosaic.sh SETDIR OUTDIR FRACTION SEED [REGION]
# A mosaic copy of a simulated set (scripts/bench/make-sim.sh): the donor's SVs are carried by a
# fraction FRACTION of the cells only, the others being reference; with REGION (contig:start-end,
# 1-based), only the SVs there, the rest of the genome staying as it was (a post-zygotic change in one
# region; a whole genome of mosaic SVs makes its depth too uneven for the scorer to judge at all).
# Its reads are the set's own reads (in REGION: those overlapping it) subsampled to FRACTION
# (samtools view -s, whole pairs) merged with as many reads of the reference (of REGION) as make the
# carriers FRACTION of all (ART HS25, 2x150, fragment 400 +/- 80, as simulate.sh), aligned with bwa mem
# to the whole reference under the set's read group. The truth is the set's; every event in REGION now
# sits at FRACTION of its allele fraction (a heterozygous deletion in half the cells: 0.25). Used to
# measure what the scorer does to mosaic SVs, which it was never trained on (docs/scoring.md).
# OUTDIR gets sim.bam(+.bai), truth.vcf.gz(+.tbi) copied, ref.fa(+.fai) linked. Reused when present.
set -euo pipefail
SET=$1; OUT=$2; FRACTION=$3; SEED=$4; REGION=${5:-}
# shellcheck source=derived-set.sh
source "$(cd "$(dirname "$0")" && pwd)/derived-set.sh"
awk -v f="$FRACTION" 'BEGIN { exit !(f > 0 && f < 1) }' || { echo "[mosaic] FRACTION must lie strictly between 0 and 1: $FRACTION" >&2; exit 2; }
derived_set_start mosaic "$SET" "$OUT" "$SEED" art_illumina bwa samtools
# the cells with the SVs: a FRACTION of the set's read pairs (samtools -s: SEED.FRACTION, by read name)
SUB=$(awk -v s="$SEED" -v f="$FRACTION" 'BEGIN { printf "%d.%s", s, substr(sprintf("%.4f", f), 3) }')
if [ -n "$REGION" ]; then
  [[ "$REGION" =~ ^([^:]+):([0-9]+)-([0-9]+)$ ]] || { echo "[mosaic] REGION must be contig:start-end: $REGION" >&2; exit 2; }
  RC=${BASH_REMATCH[1]}; RS=${BASH_REMATCH[2]}; RE=${BASH_REMATCH[3]}
  grep -q "^$RC	" "$SET/ref.fa.fai" || { echo "[mosaic] REGION's contig $RC is not in $SET/ref.fa" >&2; exit 2; }
  [ "$RS" -lt "$RE" ] || { echo "[mosaic] REGION must have start < end: $REGION" >&2; exit 2; }
  printf '%s\t%d\t%d\n' "$RC" $((RS - 1)) "$RE" > "$TMP/region.bed"
  samtools view -@ "$THREADS" -b -L "$TMP/region.bed" -U "$TMP/outside.bam" -o "$TMP/inside.bam" "$SET/sim.bam"
  samtools view -@ "$THREADS" -b -s "$SUB" -o "$TMP/carriers.bam" "$TMP/inside.bam"
  samtools faidx "$SET/ref.fa" "$REGION" > "$TMP/normal.fa"
else
  samtools view -@ "$THREADS" -b -s "$SUB" -o "$TMP/carriers.bam" "$SET/sim.bam"
  cp "$SET/ref.fa" "$TMP/normal.fa"
fi
# the other cells: the reference on both haplotypes, as many reads as the carriers' (1 - FRACTION) / FRACTION
# (ART makes about (non-N bases) x coverage / 150 reads; the set's own depth is measured, not assumed)
CARRIERS=$(samtools view -c -F 0x900 "$TMP/carriers.bam")
BASES=$(grep -v '>' "$TMP/normal.fa" | tr -d 'Nn\n' | wc -c)
NORMAL=$(awk -v n="$CARRIERS" -v f="$FRACTION" -v b="$BASES" 'BEGIN { printf "%.4f", n * (1 - f) / f * 150 / b }')
art_illumina -ss HS25 -i "$TMP/normal.fa" -p -l 150 -f "$NORMAL" -m 400 -s 80 -rs $((SEED * 10 + 9)) -na -q -d normal -o "$TMP/normal_" > "$TMP/art.log"
derived_set_align "$SET" "$TMP/normal_1.fq" "$TMP/normal_2.fq" "$TMP/normal.bam"
derived_set_finish "$SET" "$OUT" "$TMP/carriers.bam" "$TMP/normal.bam" ${REGION:+"$TMP/outside.bam"}
echo "[mosaic] $OUT: SVs${REGION:+ in $REGION} in $FRACTION of the cells ($CARRIERS carrier reads, $(samtools view -c -F 0x900 "$TMP/normal.bam") reference reads, ART at ${NORMAL}x)"
rm -rf "$TMP"
