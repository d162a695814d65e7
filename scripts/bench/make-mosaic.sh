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
THREADS=${THREADS:-$(nproc)}
if [ -s "$OUT/sim.bam.bai" ] && [ -s "$OUT/truth.vcf.gz" ]; then
  echo "[mosaic] reusing $OUT (delete it to make it again)"
  exit 0
fi
for f in sim.bam sim.bam.bai truth.vcf.gz ref.fa ref.fa.fai ref.fa.bwt; do
  [ -s "$SET/$f" ] || { echo "[mosaic] $SET/$f is missing: make the simulated set first (scripts/bench/make-sim.sh)" >&2; exit 2; }
done
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "[mosaic] SEED must be a non-negative integer: $SEED" >&2; exit 2; }
awk -v f="$FRACTION" 'BEGIN { exit !(f > 0 && f < 1) }' || { echo "[mosaic] FRACTION must lie strictly between 0 and 1: $FRACTION" >&2; exit 2; }
for t in art_illumina bwa samtools; do
  command -v $t >/dev/null || { echo "[mosaic] missing tool: $t (apt-get install art-nextgen-simulation-tools bwa samtools)" >&2; exit 2; }
done
mkdir -p "$OUT"
TMP=$OUT/tmp
rm -rf "$TMP"; mkdir -p "$TMP"
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
RG=$(samtools view -H "$SET/sim.bam" | grep -m1 '^@RG' | sed 's/\t/\\t/g')
bwa mem -t "$THREADS" -K 20000000 -R "$RG" "$SET/ref.fa" "$TMP/normal_1.fq" "$TMP/normal_2.fq" 2> "$TMP/bwa_mem.log" \
  | samtools sort -@ "$THREADS" -m 512M -T "$TMP/sort" -o "$TMP/normal.bam" -
samtools merge -f -@ "$THREADS" -o "$OUT/sim.bam" "$TMP/carriers.bam" "$TMP/normal.bam" $( [ -n "$REGION" ] && echo "$TMP/outside.bam" )
samtools index "$OUT/sim.bam"
cp "$SET/truth.vcf.gz" "$SET/truth.vcf.gz.tbi" "$OUT/"
ln -sf "$(realpath "$SET/ref.fa")" "$OUT/ref.fa"
ln -sf "$(realpath "$SET/ref.fa.fai")" "$OUT/ref.fa.fai"
samtools flagstat "$OUT/sim.bam" > "$OUT/sim.flagstat"
echo "[mosaic] $OUT: SVs${REGION:+ in $REGION} in $FRACTION of the cells ($CARRIERS carrier reads, $(samtools view -c -F 0x900 "$TMP/normal.bam") reference reads, ART at ${NORMAL}x)"
rm -rf "$TMP"
