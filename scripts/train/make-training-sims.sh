#!/usr/bin/env bash
# make-training-sims.sh [OUTDIR]
# The simulated genomes the SV scorer learns from (npm run train). Seeds, coverages and regions are
# never those of the benchmark (seed 42, 30x, GRCh37 20:30-41 Mb + 1:0-3 Mb), so the benchmark stays
# held out. Each set: one stretch of real GRCh37 chromosome 20, named `chr20`, plus the 1 Mb real
# GRCh38 chr21 slice named `chr21` (a second contig, so simulate.sh also implants a translocation;
# `chr` naming on purpose) -> ../shared/bench/simulate.sh (DEL, INS, DUP, INV, 50 bp-1 Mb) -> ART
# 2x150 -> bwa mem. Each set also gets copies with the artefact layer (scripts/bench/add-artefacts.sh):
# SEEDdir-artefacts (artefact seed = the set's seed) and, from scorer 20261129-17, SEEDdir-artefacts2..4
# (artefact seeds = the set's seed + 1000, 2000, 3000: other hotspots, other chimeras, other diverged
# copies on the same genome; TRAIN_ARTEFACT_LAYERS, default 4, says how many copies). The training
# genomes held ~900 false candidates against ~4,800 true; the held-out genomes with artefacts showed
# small tandem-duplication and inversion chimeras that few training examples resembled. With three more
# layers the out-of-fold candidates' false share rose to ~23 %, and the scorer kept fewer chimeras on the
# held-out sets (docs/scoring.md). Reuses a set or a copy that is already complete.
#   seed 101, 15x, GRCh37 20:2,000,001-10,000,000
#   seed 202, 30x, GRCh37 20:12,000,001-20,000,000
#   seed 303, 45x, GRCh37 20:44,000,001-52,000,000
#   and eight 2 Mb sets (more translocations to learn from; one per set), 15-45x:
#   seed 111 20x 20:24-26 Mb, 222 35x 20:41-43 Mb, 333 25x 20:52-54 Mb, 444 40x 20:54-56 Mb,
#   555 30x 20:56-58 Mb, 666 15x 20:58-60 Mb, 777 45x 20:60-62 Mb, 888 30x 20:10-12 Mb
#   and six more 2 Mb sets (added for scorer 20261129-6: more chimeras and decoy reads to learn from;
#   new seeds, three on stretches no other set uses, three on stretches again with other SVs):
#   seed 121 25x 20:0.1-2 Mb, 232 35x 20:20-22 Mb, 343 20x 20:22-24 Mb, 454 40x 20:2-4 Mb,
#   565 30x 20:14-16 Mb, 676 30x 20:46-48 Mb
#   and eight more 2 Mb sets (added for scorer 20261129-15: with them the out-of-fold log loss on the 17
#   genomes above fell from 0.073 to 0.067; new seeds on stretches again, with other SVs):
#   seed 131 25x 20:4-6 Mb, 242 30x 20:6-8 Mb, 353 35x 20:8-10 Mb, 464 20x 20:16-18 Mb, 575 40x 20:18-20 Mb,
#   686 30x 20:48-50 Mb, 797 25x 20:50-52 Mb, 808 35x 20:61-62.9 Mb
# TRAIN_SETS="101:15:20:2000001-10000000 ..." overrides the list (seed:coverage:chromosome:region).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/bench-data/train}
SHARED=${LAG_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}
CHR20=$SHARED/data/grch37-chr20-reference/20.fa.gz
CHR21=$SHARED/data/grch38-chr21-22-23mb-slice/hg38_chr21_22000000_23000000.fasta
SETS=${TRAIN_SETS:-"101:15:20:2000001-10000000 202:30:20:12000001-20000000 303:45:20:44000001-52000000
  111:20:20:24000001-26000000 222:35:20:41000001-43000000 333:25:20:52000001-54000000 444:40:20:54000001-56000000
  555:30:20:56000001-58000000 666:15:20:58000001-60000000 777:45:20:60000001-62000000 888:30:20:10000001-12000000
  121:25:20:100001-2000000 232:35:20:20000001-22000000 343:20:20:22000001-24000000 454:40:20:2000001-4000000
  565:30:20:14000001-16000000 676:30:20:46000001-48000000
  131:25:20:4000001-6000000 242:30:20:6000001-8000000 353:35:20:8000001-10000000 464:20:20:16000001-18000000
  575:40:20:18000001-20000000 686:30:20:48000001-50000000 797:25:20:50000001-52000000 808:35:20:61000001-62900000"}
LAYERS=${TRAIN_ARTEFACT_LAYERS:-4}
[[ "$LAYERS" =~ ^[1-9][0-9]*$ ]] || { echo "[train-sims] TRAIN_ARTEFACT_LAYERS must be a whole number >= 1, not '$LAYERS'" >&2; exit 2; }
for f in "$CHR20" "$CHR21" "$SHARED/bench/simulate.sh"; do
  [ -s "$f" ] || { echo "[train-sims] missing $f: training reads ../shared (set LAG_SHARED_DIR)" >&2; exit 2; }
done
mkdir -p "$OUT"
for set in $SETS; do
  IFS=: read -r seed cov chrom region <<< "$set"
  dir=$OUT/seed$seed-${cov}x
  if [ -s "$dir/sim.bam.bai" ] && [ -s "$dir/truth.vcf.gz" ]; then
    echo "[train-sims] reusing $dir"
  else
    mkdir -p "$dir"
    { samtools faidx "$CHR20" "$chrom:$region" | sed '1s/.*/>chr20/'; sed '1s/.*/>chr21/' "$CHR21"; } > "$dir/source.fa"
    echo "[train-sims] $dir: chr20 = GRCh37 $chrom:$region, chr21 = GRCh38 chr21:22,000,000-23,000,000; seed $seed, ${cov}x"
    bash "$SHARED/bench/simulate.sh" "$dir/source.fa" "$dir" "$seed" "$cov" > "$dir/make.log" 2>&1
    rm -f "$dir"/hap?.fa
  fi
  for layer in $(seq 1 "$LAYERS"); do
    copy=$dir-artefacts$([ "$layer" = 1 ] || echo "$layer")
    mkdir -p "$copy"
    bash "$ROOT/scripts/bench/add-artefacts.sh" "$dir" "$copy" $((seed + 1000 * (layer - 1))) "$cov" > "$copy/make.log" 2>&1 ||
      { echo "[train-sims] the artefact layer failed: $copy/make.log" >&2; exit 1; }
  done
done
