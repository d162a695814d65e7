#!/usr/bin/env bash
# add-artefacts.sh SETDIR OUTDIR SEED [COVERAGE]
# A copy of a simulated set (scripts/bench/make-sim.sh, scripts/train/make-training-sims.sh) with the
# artefact layer of scripts/bench/artefacts.py: recurrent and random chimeras, and reads from diverged
# copies of reference segments that the reference lacks; none from the set's homozygous deletions
# (truth.vcf.gz), whose sequence the donor lacks, and chimeras elsewhere in proportion to the donor's
# copies (half as many in a heterozygous deletion). Their reads are made by ART (HS25, as the
# genome's own), aligned with bwa mem with the set's read group and merged into OUTDIR/sim.bam. The
# truth is the set's: nothing added here is a true SV.
# OUTDIR gets sim.bam(+.bai), truth.vcf.gz(+.tbi) copied, ref.fa(+.fai) linked, artefacts.tsv.
# Reuses OUTDIR when it already holds sim.bam.bai. SEED drives the artefacts only; COVERAGE must be
# the set's (default 30).
set -euo pipefail
SET=$1; OUT=$2; SEED=$3; COV=${4:-30}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=derived-set.sh
source "$HERE/derived-set.sh"
derived_set_start artefacts "$SET" "$OUT" "$SEED" art_illumina bwa samtools bcftools
# The donor's homozygous deletions: sequence no fragment of this genome carries, so no chimera takes any.
bcftools query -i 'INFO/SVTYPE="DEL"' -f '%CHROM\t%POS\t%INFO/END\t[%GT]\n' "$SET/truth.vcf.gz" \
  | awk -F'\t' '$4 == "1|1" || $4 == "1/1" {print $1 "\t" $2 "\t" $3}' > "$TMP/absent.tsv"
# Where the donor holds other than two copies (its heterozygous deletions and its duplications): chimeras
# there in proportion to the copies, as templates are.
bcftools query -i 'INFO/SVTYPE="DEL" || INFO/SVTYPE="DUP"' -f '%CHROM\t%POS\t%INFO/END\t%INFO/SVTYPE\t[%GT]\n' "$SET/truth.vcf.gz" \
  | awk -F'\t' '{n = gsub(/1/, "1", $5); if (n == 0) next; cn = ($4 == "DEL") ? 2 - n : 2 + n; if (cn != 0) print $1 "\t" $2 "\t" $3 "\t" cn}' > "$TMP/copies.tsv"
/usr/bin/python3 "$HERE/artefacts.py" --ref "$SET/ref.fa" --seed "$SEED" --coverage "$COV" --out "$TMP" --absent "$TMP/absent.tsv" --copies "$TMP/copies.tsv"
# one read pair per chimeric molecule, from both of its ends
art_illumina -ss HS25 -amp -p -na -q -i "$TMP/molecules.fa" -l 150 -c 1 -rs $((SEED * 10 + 7)) -d artefact -o "$TMP/mol_" > "$TMP/art_mol.log"
# the diverged copies, as one more haploid copy
HALF=$(awk -v c="$COV" 'BEGIN{printf "%.4f", c/2}')
art_illumina -ss HS25 -p -na -q -i "$TMP/decoy.fa" -l 150 -f "$HALF" -m 400 -s 80 -rs $((SEED * 10 + 8)) -d decoy -o "$TMP/dec_" > "$TMP/art_dec.log"
cat "$TMP/mol_1.fq" "$TMP/dec_1.fq" > "$TMP/r1.fq"
cat "$TMP/mol_2.fq" "$TMP/dec_2.fq" > "$TMP/r2.fq"
derived_set_align "$SET" "$TMP/r1.fq" "$TMP/r2.fq" "$TMP/artefacts.bam"
derived_set_finish "$SET" "$OUT" "$SET/sim.bam" "$TMP/artefacts.bam"
{ cat "$TMP/artefacts.tsv"; awk '{print "absent\t" $0}' "$TMP/absent.tsv"; } > "$OUT/artefacts.tsv"
echo "[artefacts] $OUT: $(grep -c '^hotspot' "$OUT/artefacts.tsv") chimera hotspots, $(grep -c '^decoy' "$OUT/artefacts.tsv") diverged copies, $(( $(wc -l < "$TMP/r1.fq") / 4 )) added read pairs"
rm -rf "$TMP"
