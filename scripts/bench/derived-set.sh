# derived-set.sh — sourced by add-artefacts.sh and make-mosaic.sh. Both make a copy of a simulated set
# (SETDIR: sim.bam(+.bai), truth.vcf.gz, ref.fa with its fai and bwa index) with reads of their own,
# aligned to the set's reference under its read group and merged into OUTDIR/sim.bam; the copy keeps
# the set's truth and links its reference. These are the steps they share.
THREADS=${THREADS:-$(nproc)}

# derived_set_start TAG SETDIR OUTDIR SEED TOOL...: exits 0 when OUTDIR is already made (it is reused),
# 2 on a missing input, a SEED that is not a number or a missing tool; then sets TMP to an empty OUTDIR/tmp.
derived_set_start() {
  local tag=$1 set=$2 out=$3 seed=$4 f t
  shift 4
  if [ -s "$out/sim.bam.bai" ] && [ -s "$out/truth.vcf.gz" ]; then
    echo "[$tag] reusing $out (delete it to make it again)"
    exit 0
  fi
  for f in sim.bam sim.bam.bai truth.vcf.gz ref.fa ref.fa.fai ref.fa.bwt; do
    [ -s "$set/$f" ] || { echo "[$tag] $set/$f is missing: make the simulated set first" >&2; exit 2; }
  done
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "[$tag] SEED must be a non-negative integer: $seed" >&2; exit 2; }
  local packages=${*//art_illumina/art-nextgen-simulation-tools}
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "[$tag] missing tool: $t (apt-get install $packages)" >&2; exit 2; }
  done
  mkdir -p "$out"
  TMP=$out/tmp
  rm -rf "$TMP"; mkdir -p "$TMP"
}

# derived_set_align SETDIR R1.fq R2.fq OUT.bam: the pairs aligned with bwa mem to SETDIR's reference under
# its read group, sorted (log in TMP/bwa_mem.log).
derived_set_align() {
  local rg
  rg=$(samtools view -H "$1/sim.bam" | grep -m1 '^@RG' | sed 's/\t/\\t/g')
  bwa mem -t "$THREADS" -K 20000000 -R "$rg" "$1/ref.fa" "$2" "$3" 2> "$TMP/bwa_mem.log" \
    | samtools sort -@ "$THREADS" -m 512M -T "$TMP/sort" -o "$4" -
}

# derived_set_finish SETDIR OUTDIR BAM...: OUTDIR/sim.bam is the BAMs merged, indexed, with its flagstat;
# SETDIR's truth is copied and its reference linked.
derived_set_finish() {
  local set=$1 out=$2
  shift 2
  samtools merge -f -@ "$THREADS" -o "$out/sim.bam" "$@"
  samtools index "$out/sim.bam"
  cp "$set/truth.vcf.gz" "$set/truth.vcf.gz.tbi" "$out/"
  ln -sf "$(realpath "$set/ref.fa")" "$out/ref.fa"
  ln -sf "$(realpath "$set/ref.fa.fai")" "$out/ref.fa.fai"
  samtools flagstat "$out/sim.bam" > "$out/sim.flagstat"
}
