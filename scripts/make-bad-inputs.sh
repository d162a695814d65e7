#!/usr/bin/env bash
# Build small bad-input (and small good-input) BAM fixtures in test/data/bad/ from
# test/data/example/example.bam (run scripts/make-example-genome.sh first).
# Deterministic (no randomness; relative paths only, so @PG lines are stable) and
# idempotent (removes and rewrites its own files). Needs: samtools.
# Usage: scripts/make-bad-inputs.sh
set -euo pipefail

SLICE="20:1200001-1400000"      # 200 kb, contains truth_del_4 (500 bp, 1/1) of the example
TINY_SLICE="20:1300001-1320000" # 20 kb, same deletion; for unsorted/noindex (kept tiny)
ALIEN_CONTIG="NC_000913.3"      # E. coli K-12 MG1655 accession (length kept at 2,000,000)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT/test/data"
SRC=example/example.bam
OUT=bad
[ -s "$SRC" ] && [ -s "$SRC.bai" ] || { echo "missing $SRC(.bai): run scripts/make-example-genome.sh" >&2; exit 1; }
command -v samtools >/dev/null || { echo "missing tool: samtools" >&2; exit 1; }

mkdir -p "$OUT"
FILES=(not-a-bam.bam empty.bam truncated.bam truncated.bam.bai unsorted.bam unsorted.bam.bai
  noindex.bam small.bam small.bam.bai other-species.bam other-species.bam.bai
  noseq.bam noseq.bam.bai norg.bam norg.bam.bai unpaired.bam unpaired.bam.bai)
for f in "${FILES[@]}" noindex.bam.bai noindex.bam.csi; do rm -f "$OUT/$f"; done
TMP="$OUT/.tmp-make-bad-inputs" # fixed relative path: it appears in @PG lines
rm -rf "$TMP"
mkdir "$TMP"
trap 'rm -rf "$TMP"' EXIT

# not-a-bam.bam: plain text with a .bam name.
printf 'This is not a BAM file.\nIt is plain text named .bam, used to test input validation.\n' >"$OUT/not-a-bam.bam"

# empty.bam: 0 bytes.
: >"$OUT/empty.bam"

# small.bam (+ .bai): valid 200 kb coordinate-sorted slice.
samtools view -b -o "$OUT/small.bam" "$SRC" "$SLICE"
samtools index "$OUT/small.bam"

# truncated.bam: first 60% of small.bam's bytes (cut mid BGZF block, no EOF marker);
# its .bai is the (now inconsistent) index of the untruncated small.bam.
size=$(wc -c <"$OUT/small.bam")
head -c $((size * 60 / 100)) "$OUT/small.bam" >"$OUT/truncated.bam"
cp "$OUT/small.bam.bai" "$OUT/truncated.bam.bai"

# noindex.bam: valid, coordinate-sorted, tiny, no index.
samtools view -b -o "$OUT/noindex.bam" "$SRC" "$TINY_SLICE"

# unsorted.bam: the same tiny slice sorted by read name (@HD SO:queryname), with a .bai
# that was built from the coordinate-sorted copy (so an index exists but does not apply).
samtools sort -n -T "$TMP/qsort" -o "$OUT/unsorted.bam" "$OUT/noindex.bam"
samtools index -o "$OUT/unsorted.bam.bai" "$OUT/noindex.bam"

# other-species.bam (+ .bai): small.bam with contig `20` renamed NC_000913.3 (non-human).
samtools view -H --no-PG "$OUT/small.bam" |
  awk -v c="$ALIEN_CONTIG" 'BEGIN {FS = OFS = "\t"} /^@SQ/ {for (i = 2; i <= NF; i++) if ($i == "SN:20") $i = "SN:" c} {print}' \
    >"$TMP/alien.header.sam"
samtools reheader "$TMP/alien.header.sam" "$OUT/small.bam" >"$OUT/other-species.bam"
samtools index "$OUT/other-species.bam"

# Degraded but valid inputs (issue 3, bad input): analysed, with warnings.
# noseq.bam: the 20 kb slice with SEQ and QUAL '*' (reads but no sequence).
samtools view -h --no-PG "$OUT/noindex.bam" |
  awk 'BEGIN {FS = OFS = "\t"} /^@/ {print; next} {$10 = "*"; $11 = "*"; print}' |
  samtools view -b --no-PG -o "$OUT/noseq.bam" -
samtools index "$OUT/noseq.bam"
# norg.bam: the same slice without @RG lines and RG tags.
samtools view -h --no-PG "$OUT/noindex.bam" | grep -v '^@RG' | sed 's/\tRG:Z:[^\t]*//' |
  samtools view -b --no-PG -o "$OUT/norg.bam" -
samtools index "$OUT/norg.bam"
# unpaired.bam: the same slice as single-end reads (first reads only, pairing flags and mate fields cleared).
samtools view -h --no-PG -f 0x40 "$OUT/noindex.bam" |
  awk 'BEGIN {FS = OFS = "\t"; split("4 16 256 512 1024", keep, " ")} /^@/ {print; next}
       {f = 0; for (i in keep) if (int($2 / keep[i]) % 2) f += keep[i]; $2 = f; $7 = "*"; $8 = 0; $9 = 0; print}' |
  samtools view -b --no-PG -o "$OUT/unpaired.bam" -
samtools index "$OUT/unpaired.bam"

# Checks: the valid files pass quickcheck, the broken ones fail it; headers as intended.
for f in small.bam noindex.bam unsorted.bam other-species.bam noseq.bam norg.bam unpaired.bam; do
  samtools quickcheck "$OUT/$f" || { echo "expected valid: $f" >&2; exit 1; }
done
for f in not-a-bam.bam empty.bam truncated.bam; do
  if samtools quickcheck "$OUT/$f" 2>/dev/null; then echo "expected invalid: $f" >&2; exit 1; fi
done
samtools view -H "$OUT/unsorted.bam" | grep -q $'^@HD.*SO:queryname' || { echo "unsorted.bam: no SO:queryname" >&2; exit 1; }
[ "$(samtools view -H "$OUT/other-species.bam" | grep '^@SQ' | cut -f2,3)" = "SN:$ALIEN_CONTIG"$'\tLN:2000000' ] ||
  { echo "other-species.bam: unexpected @SQ" >&2; exit 1; }
[ "$(samtools view -c "$OUT/small.bam")" = "$(samtools view -c "$OUT/other-species.bam" "$ALIEN_CONTIG")" ] ||
  { echo "other-species.bam: read count differs from small.bam" >&2; exit 1; }

total=0
for f in "${FILES[@]}"; do
  s=$(wc -c <"$OUT/$f")
  total=$((total + s))
  printf '%8d  %s\n' "$s" "$OUT/$f"
done
printf '%8d  total\n' "$total"
[ "$total" -lt 3000000 ] || { echo "fixtures too large: $total bytes" >&2; exit 1; }
