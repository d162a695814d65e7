#!/usr/bin/env bash
# make-evidence-fixtures.sh [SIM_DIR]
# Tiny named BAMs, one per kind of SV evidence, cut from the benchmark's simulated genome
# (scripts/bench/make-sim.sh, seed 42: real GRCh37 sequence, ART 2x150 reads, bwa mem alignments).
# Each holds the reads of a few kb around one simulated event (its truth is in fixtures.tsv), so the
# caller's tests run on real aligner output, not hand-made records. The BAMs are committed
# (test/data/evidence, ~1 MB in all); this script remakes them when the simulated set exists:
#   npm run bench (or scripts/bench/make-sim.sh bench-data/sim-seed42 42 30), then
#   bash scripts/make-evidence-fixtures.sh
# and the golden files with: UPDATE_GOLDEN=1 npx jest test/integration/evidence.test.ts
# Fixtures named artefact-* come from the same genome with its artefact layer
# (scripts/bench/add-artefacts.sh bench-data/sim-seed42 bench-data/sim-seed42-artefacts 42 30):
# truth_type `-` there means no true event and no PASS call expected; `artefact` means no true event
# that the caller's rules can reject (the model's job): pinned by its golden file only.
# Fixtures named *-seed55 come from benchmark seed 55 (scripts/bench/make-sim.sh bench-data/sim-seed55 55 30),
# for evidence seed 42 lacks.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${1:-$ROOT/bench-data/sim-seed42}
SIM_ART=${2:-$SIM-artefacts}
SIM55=${3:-$ROOT/bench-data/sim-seed55}
OUT=$ROOT/test/data/evidence
[ -s "$SIM/sim.bam" ] || { echo "no simulated set at $SIM: make it with scripts/bench/make-sim.sh $SIM 42 30" >&2; exit 2; }
[ -s "$SIM_ART/sim.bam" ] || { echo "no artefact set at $SIM_ART: make it with scripts/bench/add-artefacts.sh $SIM $SIM_ART 42 30" >&2; exit 2; }
[ -s "$SIM55/sim.bam" ] || { echo "no simulated set at $SIM55: make it with scripts/bench/make-sim.sh $SIM55 55 30" >&2; exit 2; }
mkdir -p "$OUT"
# name, regions (samtools syntax, space-separated), truth (what the simulator implanted there)
cat > "$OUT/fixtures.tsv" <<'EOF'
name	regions	truth_type	truth_chrom	truth_pos	truth_svlen	truth_gt	evidence
split-del-107bp	1:40600-41900	DEL	1	41204	107	0|1	split reads only (too small to shift the insert size)
pairs-del-1874bp	1:2301300-2305300	DEL	1	2302381	1874	1|0	discordant pairs, depth drop and split reads
split-dup-114bp	1:227700-228900	DUP	1	228309	114	1|0	split reads (reads jump back) and outie pairs
pairs-dup-1735bp	1:2241300-2244800	DUP	1	2242260	1735	0|1	outie pairs, depth gain and split reads
inv-1233bp	1:2852000-2855000	INV	1	2852949	1233	1|1	same-strand pairs at both junctions and split reads with opposite strands
inv-407bp-repeat-end-seed55	20:9862600-9865600	INV	20	9864000	407	1|1	same-strand pairs; the split reads' other parts map ambiguously (MAPQ 0-6): one end anchored, and no insertion at it
clips-ins-171bp	20:1116400-1117800	INS	20	1117090	171	1|1	facing clip sites assembled to the full inserted sequence
clips-ins-1149bp	20:1752200-1753700	INS	20	1752939	1149	1|1	facing clip sites; too long to bridge: size is a lower bound
bnd-t-1-20	1:161800-163300 20:6931400-6932900	BND	20	6932123	0	0|1	a reciprocal translocation: pairs and split reads to the other contig
indel-ins-67bp	20:1731400-1732800	INS	20	1732116	67	0|1	two reads carry the insertion as a CIGAR I, the others are clipped at it (~25 clipped reads)
none	20:3000000-3004000	-	-	-	-	-	no event: no call expected
artefact-del-chimera-1375bp	20:8637400-8642800	-	-	-	-	-	a recurrent chimera (13 molecules, 22 %) joining 20:8639400 to 20:8640775: split reads and pairs of a deletion at full depth: not a PASS deletion
artefact-bnd-chimera	1:1049300-1051300 20:10009900-10011900	artefact	-	-	-	-	a recurrent chimera (10 molecules, 15 %) joining 1:1050321 to 20:10010970: one junction
EOF
tail -n +2 "$OUT/fixtures.tsv" | while IFS=$'\t' read -r name regions _; do
  src=$SIM; [[ "$name" == artefact-* ]] && src=$SIM_ART; [[ "$name" == *-seed55 ]] && src=$SIM55
  # shellcheck disable=SC2086
  samtools view -b -o "$OUT/$name.bam" "$src/sim.bam" $regions
  samtools index "$OUT/$name.bam"
  echo "$name: $(samtools view -c "$OUT/$name.bam") reads ($regions)"
done
