#!/usr/bin/env bash
# Build the example genome in test/data/example/ (committed, a few MB):
#   ref.fa(.fai)   2 Mb reference, one contig `20` = GRCh37 20:10,000,001-12,000,000
#   truth.vcf      6 implanted deletions (500 bp .. 100 kb, het and hom)
#   example.bam(.bai)  simulated 2x150 bp pairs, ~15x, bwa mem, coordinate-sorted
#   README.md      provenance, command, seed and truth table
# Seeded and reproducible (same tool versions -> byte-identical files); idempotent
# (rerunning rebuilds and overwrites the same files). Needs: samtools bwa dwgsim
# /usr/bin/python3 (Debian: apt-get install -y samtools bwa dwgsim).
# Usage: scripts/make-example-genome.sh            (from anywhere)
set -euo pipefail

SEED=20240601
SRC_FA=${SRC_FA:-/work/shared/data/grch37-chr20-reference/20.fa.gz}
REGION="20:10000001-12000000" # 1-based inclusive, GRCh37
CONTIG=20
COV_PER_HAP=7.5 # dwgsim -C per haplotype; the two haplotypes together give ~15x
READ_LEN=150
FRAG=400 # dwgsim -d (outer distance = fragment length)
FRAG_SD=50
RG='@RG\tID:example\tSM:EXAMPLE\tPL:ILLUMINA'

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/test/data/example"
IMPLANT="$ROOT/scripts/implant_example_svs.py"

for tool in samtools bwa dwgsim /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
[ -s "$SRC_FA" ] || { echo "missing source FASTA: $SRC_FA" >&2; exit 1; }

mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lag-example.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" # relative paths only below, so the @PG lines do not depend on WORK

# 1. Reference: the 2 Mb region as a new contig named `20` (length 2,000,000).
samtools faidx "$SRC_FA" "$REGION" | sed "1s/.*/>$CONTIG GRCh37:$REGION/" >ref.fa
samtools faidx ref.fa
ns=$(grep -v '^>' ref.fa | tr -cd 'Nn' | wc -c)
echo "reference: $(cut -f1,2 ref.fa.fai), N bases: $ns"

# 2. Donor haplotypes with the deletions + truth VCF.
/usr/bin/python3 "$IMPLANT" ref.fa "$SEED" . truth.vcf

# 3. Reads: each haplotype simulated separately (haploid mode) at half the coverage.
#    -r 0: no random SNPs/indels (the truth is complete); -y 0: no random reads;
#    -q F: constant base quality Q37 (keeps the BAM small); -S 2: FR pairs.
for h in 1 2; do
  dwgsim -H -z $((SEED + h)) -C "$COV_PER_HAP" -1 "$READ_LEN" -2 "$READ_LEN" \
    -d "$FRAG" -s "$FRAG_SD" -S 2 -e 0.001 -E 0.002 -r 0 -y 0 -n 0 -q F -o 1 \
    "hap$h.fa" "h$h" >"dwgsim.h$h.log" 2>&1
done
# Short read names (h1.000001 ...) instead of dwgsim's long truth-encoding names.
for r in 1 2; do
  for h in 1 2; do
    gzip -dc "h$h.bwa.read$r.fastq.gz" |
      awk -v h="$h" 'NR % 4 == 1 { printf "@h%s.%06d\n", h, (NR + 3) / 4; next } { print }'
  done >"reads_$r.fq"
done

# 4. Align (fixed -K batch size: output independent of the thread count), sort, index.
bwa index ref.fa 2>bwa-index.log
bwa mem -t 2 -K 100000000 -R "$RG" ref.fa reads_1.fq reads_2.fq 2>bwa-mem.log |
  samtools sort -@ 2 -m 512M -T sorttmp -o example.bam -
samtools index example.bam

# 5. Install (overwrite) the outputs.
cp ref.fa ref.fa.fai truth.vcf example.bam example.bam.bai "$OUT/"
cd "$OUT"

# 6. Checks: BAM integrity, coverage, and each deletion visible as a depth drop
#    plus discordant (long-insert) pairs across it.
samtools quickcheck -v example.bam
samtools idxstats example.bam >"$WORK/idxstats.txt"
read -r mapped unmapped < <(awk '{m += $3; u += $4} END {print m, u}' "$WORK/idxstats.txt")
cov=$(samtools depth -a example.bam | awk '{s += $3} END {printf "%.1f", s / NR}')
echo "idxstats: $(head -1 "$WORK/idxstats.txt")  mapped=$mapped unmapped=$unmapped  mean depth=${cov}x"

checks="$WORK/checks.tsv"
printf 'id\tPOS\tEND\tSVLEN\tGT\tdepth_left\tdepth_inside\tdepth_right\tratio\tdiscordant_pairs\tsplit_reads\tstatus\n' >"$checks"
fail=0
while IFS=$'\t' read -r chrom pos id _ref _alt _qual _filter info _fmt gt; do
  end=$(sed 's/.*;END=\([0-9]*\).*/\1/' <<<"$info")
  len=$((end - pos))
  fl=$((len < 10000 ? 10000 : len)) # flank width for the baseline depth
  fl=$((fl > 50000 ? 50000 : fl))
  bed="$WORK/bed.tmp"
  printf '%s\t%d\t%d\tL\n%s\t%d\t%d\tI\n%s\t%d\t%d\tR\n' \
    "$chrom" $((pos - fl)) "$pos" "$chrom" "$pos" "$end" "$chrom" "$end" $((end + fl)) >"$bed"
  read -r dl di dr < <(samtools bedcov "$bed" example.bam | awk '{printf "%.1f ", $5 / ($3 - $2)} END {print ""}')
  # Pairs with one read within 600 bp left of POS and |TLEN| > FRAG + 5 SD.
  disc=$(samtools view -F 0xF0C example.bam "$chrom:$((pos - 600))-$pos" |
    awk -v m=$((FRAG + 5 * FRAG_SD)) -v e="$end" '$7 == "=" && $8 > e - 600 && ($9 > m || -$9 > m)' | wc -l)
  # Distinct reads with an SA tag (primary or supplementary) overlapping either junction.
  split=$(samtools view -F 0x704 example.bam "$chrom:$((pos - 150))-$pos" "$chrom:$((end + 1))-$((end + 150))" |
    awk '/\tSA:Z:/ {print $1}' | sort -u | wc -l)
  read -r ratio status < <(awk -v l="$dl" -v i="$di" -v r="$dr" -v g="$gt" -v d="$disc" -v s="$split" 'BEGIN {
    ratio = 2 * i / (l + r); ok = (g == "1/1") ? (ratio < 0.1) : (ratio > 0.3 && ratio < 0.7);
    printf "%.2f %s\n", ratio, (ok && d + s >= 3) ? "ok" : "FAIL" }')
  [ "$status" = ok ] || fail=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$id" "$pos" "$end" "$len" "$gt" "$dl" "$di" "$dr" "$ratio" "$disc" "$split" "$status" >>"$checks"
done < <(grep -v '^#' truth.vcf)
column -t "$checks"
[ "$fail" = 0 ] || { echo "deletion visibility check FAILED" >&2; exit 1; }

# 7. README (regenerated from the truth and the checks, so it always matches).
{
  cat <<EOF
# Example genome (simulated, small): 2 Mb of GRCh37 chr20 with 6 known deletions

Generated by \`scripts/make-example-genome.sh\` (do not edit by hand: rerun the script).
Simulated data for tests and demos: a smoke test with an exact truth, not a benchmark
(uniform coverage, constant base quality, no SNPs or small indels; breakpoints are only required to be
unique as exact 60-mers, so some may lie in diverged repeats).

## Files

| file | what |
|---|---|
| \`ref.fa\` + \`ref.fa.fai\` | reference: ONE contig named \`$CONTIG\`, length 2,000,000 = GRCh37 \`$REGION\` (position p here = GRCh37 20:p+10,000,000). No N bases. |
| \`truth.vcf\` | VCF 4.2 truth: 6 deletions, \`SVTYPE=DEL\`, \`END\`, \`SVLEN\` (positive here, the deleted length), \`HAP\` (donor haplotype), sample \`EXAMPLE\` with \`GT\` |
| \`example.bam\` + \`example.bam.bai\` | 2x$READ_LEN bp pairs aligned to \`ref.fa\` with bwa mem, coordinate-sorted, read group \`ID:example SM:EXAMPLE PL:ILLUMINA\` |

## Provenance

- Sequence: GRCh37 chromosome 20 from the Debian package \`vt-examples\` 0.57721+ds-3 (file
  \`/usr/share/doc/vt/examples/ref/20.fa.gz\`; MIT package licence, the sequence itself is the public-domain
  GRC/1000 Genomes reference); see \`/work/shared/data/grch37-chr20-reference/PROVENANCE.md\`.
  Region \`$REGION\` extracted with \`samtools faidx\` and renamed \`$CONTIG\`.
- Donor: diploid; \`scripts/implant_example_svs.py\` (Python \`random.Random($SEED)\`) deletes the six
  sizes 500 bp, 1.2 kb, 3 kb, 8 kb, 25 kb, 100 kb, placed >= 100 kb apart and >= 50 kb from the contig ends,
  with the 60 bp on each side of each breakpoint N-free and unique in the reference and no microhomology
  at the junctions (each deletion has exactly one position: no left/right shifting); 3 heterozygous
  (one haplotype) and 3 homozygous.
- Reads: \`dwgsim\` per haplotype (\`-H\`), ${COV_PER_HAP}x each (~15x together), outer fragment $FRAG +/- $FRAG_SD bp,
  error rate 0.1% (read 1) / 0.2% (read 2), constant base quality \`F\` (Q37), no random mutations (\`-r 0\`),
  no random reads (\`-y 0\`), seeds $((SEED + 1)) (haplotype 1) and $((SEED + 2)) (haplotype 2).
  Reads renamed \`h<haplotype>.<index>\`.
- Alignment: \`bwa mem -t 2 -K 100000000 -R '$RG'\`, \`samtools sort\`, \`samtools index\`.
- Tools used: $(samtools --version | head -1), bwa $(bwa 2>&1 | awk '/^Version/ {print $2}'),
  dwgsim $(dwgsim -h 2>&1 | awk '/^Version/ {print $2}'), Python $(/usr/bin/python3 -c 'import platform; print(platform.python_version())').
  Identical versions give byte-identical files.

## Exact command

\`\`\`sh
scripts/make-example-genome.sh   # seed $SEED, writes test/data/example/
\`\`\`

## Truth (contig \`$CONTIG\`, 1-based; POS = base before the deletion, END = last deleted base)

| id | POS | END | SVLEN | GT | haplotype(s) | GRCh37 POS |
|---|---|---|---|---|---|---|
EOF
  grep -v '^#' truth.vcf | while IFS=$'\t' read -r _c pos id _r _a _q _f info _fm gt; do
    end=$(sed 's/.*;END=\([0-9]*\).*/\1/' <<<"$info")
    hap=$(sed 's/.*;HAP=\([0-9,]*\).*/\1/' <<<"$info")
    printf '| %s | %s | %s | %s | %s | %s | 20:%s |\n' "$id" "$pos" "$end" $((end - pos)) "$gt" "$hap" $((pos + 10000000))
  done
  cat <<EOF

## Checks (run by the script)

\`samtools quickcheck\` passes; idxstats: $mapped mapped, $unmapped unmapped reads; mean depth over the
2 Mb (\`samtools depth -a\`) ${cov}x (deleted bases included). Per deletion: mean depth left flank / inside / right
flank (flank = deletion length clamped to 10-50 kb), ratio = inside / mean flank (expected ~0 for 1/1, ~0.5 for 0/1),
pairs with a read <= 600 bp left of POS, mate beyond END-600 and |TLEN| > $((FRAG + 5 * FRAG_SD)), and distinct reads with an \`SA\` tag
(split reads) overlapping the 150 bp before POS or after END; status ok = depth ratio as expected and
discordant + split >= 3:

\`\`\`
$(column -t "$checks")
\`\`\`
EOF
} >README.md

ls -l "$OUT"
echo "done: $OUT"
