#!/usr/bin/python3
"""Implant known deletions into a diploid donor genome (for test/data/example).

Reads a one-contig FASTA (the reference), places six deletions with a seeded
random.Random, and writes:
  <workdir>/hap1.fa, <workdir>/hap2.fa   the two donor haplotypes
  <truth>                                 VCF 4.2 truth set (SVTYPE=DEL)

Deletion sizes are fixed (500 bp, 1.2 kb, 3 kb, 8 kb, 25 kb, 100 kb); their order
along the contig, their positions and their genotypes come from the seed.
Constraints: >= MIN_GAP bp between consecutive deletions, >= MARGIN bp from the
contig ends, no N within FLANK bp of a breakpoint, and the FLANK bp on each side of
each breakpoint must occur exactly once in the reference (exact match, both
strands), so that the breakpoints are not inside exact repeats, and no
microhomology at the junction (the deletion cannot be shifted left or right, so
POS/END are the only correct representation).

Coordinates in the VCF (1-based): POS is the base before the deletion (the VCF
padding base, also REF), END = POS + SVLEN is the last deleted base, SVLEN is
positive (the deleted length). Only the standard library is used.

Usage: implant_example_svs.py REF.fa SEED WORKDIR TRUTH.vcf
"""

import random
import sys

SIZES = [500, 1200, 3000, 8000, 25000, 100000]
MIN_GAP = 100_000  # bp between the end of one deletion and the start of the next
MARGIN = 50_000  # bp kept free at each end of the contig
FLANK = 60  # bp on each side of a breakpoint that must be unique and N-free
SAMPLE = "EXAMPLE"


def read_fasta(path):
    name, chunks = None, []
    with open(path) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith(">"):
                if name is not None:
                    sys.exit("expected a single-contig FASTA")
                name = line[1:].split()[0]
            else:
                chunks.append(line)
    if name is None:
        sys.exit("no FASTA record in " + path)
    return name, "".join(chunks)


def write_fasta(path, name, seq, width=60):
    with open(path, "w") as fh:
        fh.write(">" + name + "\n")
        for i in range(0, len(seq), width):
            fh.write(seq[i : i + width] + "\n")


_COMP = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def count_occurrences(seq, kmer):
    """Exact occurrences of kmer on both strands (overlapping)."""
    n = 0
    for pat in (kmer, kmer.translate(_COMP)[::-1]):
        i = seq.find(pat)
        while i != -1:
            n += 1
            i = seq.find(pat, i + 1)
    return n


def breakpoint_ok(seq, pos0):
    """pos0 = 0-based index of the first base after the junction."""
    left = seq[pos0 - FLANK : pos0]
    right = seq[pos0 : pos0 + FLANK]
    if "N" in left or "N" in right:
        return False
    return count_occurrences(seq, left) == 1 and count_occurrences(seq, right) == 1


def no_microhomology(seq, start0, size):
    """True if the deletion cannot be shifted left or right (one exact representation)."""
    end0 = start0 + size
    return seq[start0 - 1] != seq[end0 - 1] and seq[start0] != seq[end0]


def place(seq, rng):
    """Return a list of (start0, size) where bases [start0, start0+size) are deleted."""
    L = len(seq)
    slack = L - 2 * MARGIN - sum(SIZES) - (len(SIZES) - 1) * MIN_GAP
    if slack < 0:
        sys.exit("contig too short for the deletions")
    for _attempt in range(1000):
        order = SIZES[:]
        rng.shuffle(order)
        extra = sorted(rng.randint(0, slack) for _ in order)
        events, cursor = [], MARGIN
        for k, size in enumerate(order):
            start0 = cursor + extra[k] - (extra[k - 1] if k else 0)
            events.append((start0, size))
            cursor = start0 + size + MIN_GAP
        up = seq.upper()
        if all(
            breakpoint_ok(up, s) and breakpoint_ok(up, s + z) and no_microhomology(up, s, z)
            for s, z in events
        ):
            return events
    sys.exit("could not place deletions satisfying the constraints")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    ref_path, seed, workdir, truth_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rng = random.Random(seed)
    name, seq = read_fasta(ref_path)
    events = place(seq, rng)

    # Genotypes: three heterozygous, three homozygous, in seeded order; a het
    # deletion goes on a seeded haplotype (1 or 2).
    gts = ["het", "het", "het", "hom", "hom", "hom"]
    rng.shuffle(gts)
    calls = []
    for (start0, size), gt in zip(events, gts):
        haps = (1, 2) if gt == "hom" else (rng.choice((1, 2)),)
        calls.append((start0, size, haps))

    for hap in (1, 2):
        h = seq
        for start0, size, haps in sorted(calls, reverse=True):  # right to left keeps coordinates
            if hap in haps:
                h = h[:start0] + h[start0 + size :]
        write_fasta(f"{workdir}/hap{hap}.fa", name, h)

    with open(truth_path, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        out.write(f"##source=scripts/implant_example_svs.py seed={seed}\n")
        out.write("##reference=ref.fa\n")
        out.write(f"##contig=<ID={name},length={len(seq)}>\n")
        out.write('##ALT=<ID=DEL,Description="Deletion">\n')
        out.write('##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">\n')
        out.write('##INFO=<ID=END,Number=1,Type=Integer,Description="Last deleted base (1-based)">\n')
        out.write(
            '##INFO=<ID=SVLEN,Number=1,Type=Integer,Description="Deleted length in bp (positive in this file)">\n'
        )
        out.write(
            '##INFO=<ID=HAP,Number=.,Type=Integer,Description="Donor haplotype(s) carrying the deletion (1, 2)">\n'
        )
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + SAMPLE + "\n")
        for i, (start0, size, haps) in enumerate(sorted(calls), 1):
            pos = start0  # 1-based position of the base before the deletion
            end = pos + size
            gt = "1/1" if len(haps) == 2 else "0/1"
            hap = ",".join(str(h) for h in haps)
            out.write(
                f"{name}\t{pos}\ttruth_del_{i}\t{seq[start0 - 1].upper()}\t<DEL>\t.\tPASS\t"
                f"SVTYPE=DEL;END={end};SVLEN={size};HAP={hap}\tGT\t{gt}\n"
            )


if __name__ == "__main__":
    main()
