#!/usr/bin/python3
"""The artefact layer of LAG's simulated genomes: the molecules that real
short-read libraries contain and that ../shared/bench/simulate.sh does not make.

simulate.sh gives a donor that differs from its reference only by the implanted
SVs, read by ART from clean fragments. Raw SV candidates on such reads are almost
all real; on real genomes most are not (repeats, mis-mapping, library noise).
This script writes the sequences of three documented artefact sources, which
scripts/bench/add-artefacts.sh then reads with ART, aligns with bwa mem and merges
into the simulated BAM. None of them is in the truth set: a call made from them is
a false positive.

1. Recurrent chimeras (PCR template switching between nearby sequences; e.g.
   Kebschull & Zador 2015, Nucleic Acids Res 43:e143): at "hotspots", a minority
   of the fragments (allele fraction 3-25 %) join two loci 30 bp-5 kb apart,
   in the orientation of a deletion, a tandem duplication, a fold-back inversion
   (both junction orientations) or, between contigs, a translocation. Written as
   one molecule per read pair (ART amplicon mode).
2. Reads from sequence missing from the reference (the reason hs37d5 added a
   decoy contig to GRCh37): diverged copies (2-5 % substitutions, a tenth as
   many 1-3 bp indels) of reference segments of 300 bp-8 kb, embedded in novel
   sequence, read at half the genome's coverage (one extra haploid copy). Their
   reads map to the segment with many mismatches; at its ends they are clipped
   and their mates do not map. (A copy joined to unique reference sequence would
   be a real insertion of a paralog, not an artefact, so there is none.)
3. Random chimeras: 0.2 % of the read pairs join two random loci.

    artefacts.py --ref ref.fa --seed S --coverage C --out DIR

Writes DIR/molecules.fa (one read pair per record, ART -amp), DIR/decoy.fa (ART
paired, at C/2) and DIR/artefacts.tsv (what was made, for inspection; a hotspot's
junctions are written contig:pos:strand>contig:pos:strand, the molecule being the
reference ending at the left pos ('+'; '-': the reverse complement of the reference
starting there) followed by the reference starting at the right pos ('+'; '-': the
reverse complement of the reference ending there), in either orientation).
Deterministic from --seed.

Molecules are read from the reference, not from the donor haplotypes. With
--absent (the set's homozygous deletions, contig/start/end per line, 1-based), no
chimera takes sequence from them or from within 1 kb: the donor has none, so no
fragment of that genome could carry it. (Without it, chimeras made there gave
calls inside homozygous deletions, with no read of the genome around them, that
no real library can produce: 6 of the 21 false calls left on the benchmark
genome with artefacts, scorer 20261129-14.) Heterozygous deletions keep one copy
of their sequence, and may still hold chimeras.
"""
import argparse
import math
import os
import random
import sys

COMPLEMENT = str.maketrans('ACGTNacgtn', 'TGCANtgcan')
FRAGMENT_MEAN, FRAGMENT_SD, READ = 400, 80, 150


def rc(s):
    return s.translate(COMPLEMENT)[::-1]


def read_fasta(path):
    contigs, name, parts = {}, None, []
    with open(path) as fh:
        for line in fh:
            if line.startswith('>'):
                if name is not None:
                    contigs[name] = ''.join(parts).upper()
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
    if name is not None:
        contigs[name] = ''.join(parts).upper()
    return contigs


ABSENT_MARGIN = 1000


def read_intervals(path, option, names):
    """contig -> [(start, end, *values)] (0-based, half-open) from 'contig start end value...' lines (1-based, whole
    numbers): `names` are the columns after the contig, for the error message. None: no file, no intervals."""
    out = {}
    if path is None:
        return out
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) < 1 + len(names) or not all(x.isdigit() for x in parts[1:1 + len(names)]):
                sys.exit(f'{option} {path}:{n}: expected "contig {" ".join(names)}", got: {line.strip()}')
            start, end, *values = (int(x) for x in parts[1:1 + len(names)])
            out.setdefault(parts[0], []).append((start - 1, end, *values))
    return out


def read_copies(path):
    """Where the donor does not hold two copies (its heterozygous deletions, 1; its duplications, 3 or 4)."""
    return read_intervals(path, '--copies', ['start', 'end', 'copies'])


def read_absent(path):
    """Sequence the donor lacks (its homozygous deletions)."""
    return read_intervals(path, '--absent', ['start', 'end'])


MAX_COPIES = 4


class Genome:
    def __init__(self, contigs, rng, absent=None, copies=None):
        self.contigs, self.rng = contigs, rng
        self.names = list(contigs)
        self.total = sum(len(s) for s in contigs.values())
        self.absent = absent or {}
        self.copy_segments = copies or {}

    def copies(self, name, pos):
        """The donor's copies of contig `name` at `pos` (2 unless --copies says otherwise; overlapping changes add up)."""
        cn = 2 + sum(c - 2 for a, b, c in self.copy_segments.get(name, ()) if a <= pos < b)
        return max(0, cn)

    def template_locus(self, margin):
        """A random locus as random_locus, drawn in proportion to the donor's copies there: a chimera joins two
        template molecules, and a stretch the donor holds once gives half as many."""
        while True:
            name, x = self.random_locus(margin)
            if self.rng.random() * MAX_COPIES < self.copies(name, x):
                return name, x

    def present(self, name, start, end):
        """Whether the donor has [start, end) of contig `name`: no absent stretch within ABSENT_MARGIN of it."""
        return all(end + ABSENT_MARGIN <= a or b + ABSENT_MARGIN <= start for a, b in self.absent.get(name, ()))

    def random_locus(self, margin):
        """(contig, position) with `margin` clean bases (no N) on both sides, in sequence the donor has."""
        for _ in range(1000):
            x = self.rng.randrange(self.total)
            for name in self.names:
                n = len(self.contigs[name])
                if x < n:
                    break
                x -= n
            if (margin <= x < len(self.contigs[name]) - margin and 'N' not in self.contigs[name][x - margin:x + margin]
                    and self.present(name, x - margin, x + margin)):
                return name, x
        raise RuntimeError('no clean locus found: is the reference mostly N, or the donor missing most of it?')

    def seq(self, name, start, end):
        s = self.contigs[name]
        return s[max(0, start):min(len(s), end)]


def fragment_length(rng):
    return max(2 * READ // 1 - 100, min(700, int(round(rng.gauss(FRAGMENT_MEAN, FRAGMENT_SD)))))


def junction_molecule(g, rng, left, right):
    """A molecule crossing one junction. left = (contig, pos, strand): the molecule's
    left part is the reference ending at pos (+) or, on '-', the reverse complement of
    the reference starting at pos. right = (contig, pos, strand): the right part is the
    reference starting at pos (+) or the reverse complement of the reference ending at pos (-)."""
    length = fragment_length(rng)
    a = rng.randint(30, length - 30)
    b = length - a
    lc, lp, ls = left
    rc_, rp, rs = right
    lpart = g.seq(lc, lp - a, lp) if ls == '+' else rc(g.seq(lc, lp, lp + a))
    rpart = g.seq(rc_, rp, rp + b) if rs == '+' else rc(g.seq(rc_, rp - b, rp))
    mol = lpart + rpart
    if len(mol) < length - 5 or 'N' in mol:
        return None
    return mol if rng.random() < 0.5 else rc(mol)


def mutate(seq, divergence, rng):
    out, i = [], 0
    indel = divergence / 10
    while i < len(seq):
        r = rng.random()
        if r < divergence:
            out.append(rng.choice([b for b in 'ACGT' if b != seq[i]]))
        elif r < divergence + indel / 2:
            i += rng.randint(1, 3)  # deletion
            continue
        elif r < divergence + indel:
            out.append(seq[i] + ''.join(rng.choice('ACGT') for _ in range(rng.randint(1, 3))))
        else:
            out.append(seq[i])
        i += 1
    return ''.join(out)


def novel(rng, n):
    return ''.join(rng.choices('ACGT', weights=[0.295, 0.205, 0.205, 0.295], k=n))


def poisson(rng, lam):
    # Knuth; lam is small here
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ref', required=True)
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--coverage', type=float, required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--copies', help='where the donor does not hold two copies ("contig start end copies" per line, 1-based): chimeras there in proportion')
    ap.add_argument('--absent', help='the donor\'s homozygous deletions ("contig start end" per line, 1-based): no chimera takes sequence from them')
    ap.add_argument('--hotspot-kb', type=float, default=100, help='one chimera hotspot per this many kb (default 100)')
    ap.add_argument('--decoy-kb', type=float, default=250, help='one diverged copy per this many kb (default 250)')
    ap.add_argument('--chimera-rate', type=float, default=0.002, help='fraction of read pairs that are random chimeras (default 0.002)')
    args = ap.parse_args()
    if args.coverage <= 0:
        sys.exit(f'--coverage must be positive: {args.coverage}')
    rng = random.Random(args.seed * 7919 + 17)
    g = Genome(read_fasta(args.ref), rng, read_absent(args.absent), read_copies(args.copies))
    if g.total < 100_000:
        sys.exit(f'reference too small for an artefact layer: {g.total} bp')
    os.makedirs(args.out, exist_ok=True)
    molecules, log = [], []
    spanning = args.coverage * FRAGMENT_MEAN / (2 * READ)  # fragments across a point

    # 1. recurrent chimeras at hotspots
    for h in range(int(g.total / (args.hotspot_kb * 1000))):
        kind = rng.choices(['DEL', 'DUP', 'INV', 'BND'], weights=[25, 25, 35, 15 if len(g.names) > 1 else 0])[0]
        c, p = g.random_locus(7000)
        af = rng.uniform(0.03, 0.25)
        if kind == 'INV':
            d = int(math.exp(rng.uniform(math.log(30), math.log(800))))
            forms = [((c, p, '+'), (c, p + d, '-')), ((c, p, '-'), (c, p + d, '+'))]
        elif kind == 'BND':
            other = rng.choice([x for x in g.names if x != c])
            for _ in range(100):
                c2, q = g.random_locus(7000)
                if c2 == other:
                    break
            forms = [((c, p, '+'), (c2, q, rng.choice('+-')))]
            d = 0
        else:
            d = int(math.exp(rng.uniform(math.log(100), math.log(5000))))
            forms = [((c, p, '+'), (c, p + d, '+'))] if kind == 'DEL' else [((c, p + d, '+'), (c, p, '+'))]
        # The hotspot's molecules, in proportion to the copies the donor holds of the two loci it joins
        # (a stretch it holds once gives half as many: the same share of that stretch's reads).
        joined = [(l[0], l[1]) for form in forms for l in form]
        n = poisson(rng, af * spanning * min(g.copies(x, y) for x, y in joined) / 2)
        made = 0
        for i in range(n):
            left, right = forms[i % len(forms)]
            mol = junction_molecule(g, rng, left, right)
            if mol:
                molecules.append((f'hot{h}_{i}', mol))
                made += 1
        junctions = ','.join(f'{l[0]}:{l[1]}:{l[2]}>{r[0]}:{r[1]}:{r[2]}' for l, r in forms)
        log.append(f'hotspot\t{kind}\t{c}\t{p}\t{forms[0][1][0]}:{forms[0][1][1]}\tlength={d}\taf={af:.3f}\tmolecules={made}\tjunctions={junctions}')

    # 3. random chimeras
    pairs = args.coverage * g.total / (2 * READ)
    for i in range(int(pairs * args.chimera_rate)):
        (c1, p1), (c2, p2) = g.template_locus(1000), g.template_locus(1000)
        mol = junction_molecule(g, rng, (c1, p1, rng.choice('+-')), (c2, p2, rng.choice('+-')))
        if mol:
            molecules.append((f'chim{i}', mol))
    log.append(f'random-chimeras\t{int(pairs * args.chimera_rate)}')

    with open(os.path.join(args.out, 'molecules.fa'), 'w') as fh:
        for name, mol in molecules:
            fh.write(f'>{name}\n{mol}\n')

    # 2. diverged copies of reference segments, missing from the reference
    with open(os.path.join(args.out, 'decoy.fa'), 'w') as fh:
        for k in range(int(g.total / (args.decoy_kb * 1000))):
            length = int(math.exp(rng.uniform(math.log(300), math.log(8000))))
            c, p = g.random_locus(length + 10)
            divergence = rng.uniform(0.02, 0.05)
            core = mutate(g.seq(c, p, p + length), divergence, rng)
            fh.write(f'>decoy{k}\n{novel(rng, 600)}{core}{novel(rng, 600)}\n')
            log.append(f'decoy\t{c}\t{p}\t{p + length}\tdivergence={divergence:.4f}')

    with open(os.path.join(args.out, 'artefacts.tsv'), 'w') as fh:
        fh.write('\n'.join(log) + '\n')
    print(f'[artefacts] {len(molecules)} chimeric molecules, {sum(1 for l in log if l.startswith("decoy"))} diverged copies', file=sys.stderr)


if __name__ == '__main__':
    main()
