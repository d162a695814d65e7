#!/usr/bin/env bash
# The example genome placed on real GRCh37 coordinates, for the workspace (genes, cytobands, ISCN need
# a known build): test/data/example-grch37/example-grch37.bam(+.bai).
# The reads and alignments are those of test/data/example/example.bam (contig `20` = GRCh37
# 20:10,000,001-12,000,000, see its README); here every position (POS, PNEXT) is shifted by
# 10,000,000 (so are the positions in SA tags) and the header names chromosome 20 with its GRCh37 length (63,025,520), so LAG detects
# GRCh37. Deterministic: rerunning gives the same file (samtools 1.16.1).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IN=$ROOT/test/data/example/example.bam
OUT=$ROOT/test/data/example-grch37
SHIFT=10000000
mkdir -p "$OUT"
{
  samtools view -H "$IN" | sed 's/^@SQ\tSN:20\tLN:2000000$/@SQ\tSN:20\tLN:63025520/' | grep -v '^@PG'
  printf '@PG\tID:shift\tPN:make-example-grch37.sh\tCL:POS and PNEXT + %s on GRCh37 chromosome 20\n' "$SHIFT"
  # POS, PNEXT and the positions inside SA tags (rname,pos,strand,CIGAR,mapQ,NM;...)
  samtools view "$IN" | awk -v s="$SHIFT" 'BEGIN{FS=OFS="\t"} {
    if ($4 > 0) $4 += s; if ($8 > 0) $8 += s
    for (i = 12; i <= NF; i++) if (substr($i, 1, 5) == "SA:Z:") {
      n = split(substr($i, 6), parts, ";"); out = ""
      for (k = 1; k <= n; k++) if (parts[k] != "") { split(parts[k], f, ","); f[2] += s; out = out f[1] "," f[2] "," f[3] "," f[4] "," f[5] "," f[6] ";" }
      $i = "SA:Z:" out
    }
    print }'
} | samtools view -b -o "$OUT/example-grch37.bam" -
samtools index "$OUT/example-grch37.bam"
samtools view -H "$OUT/example-grch37.bam" | grep '^@SQ'
echo "$(samtools view -c "$OUT/example-grch37.bam") reads -> $OUT/example-grch37.bam"
