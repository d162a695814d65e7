/**
 * The benchmark's artefact generator (scripts/bench/artefacts.py): what it
 * writes is what it says it wrote, and the same seed writes the same bytes.
 * The molecules are checked against the reference and the junctions logged
 * in artefacts.tsv, so a wrong orientation or offset in the generator (which
 * would put false "artefacts" or hidden true SVs into the benchmark) fails here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'bench', 'artefacts.py');
const PYTHON = '/usr/bin/python3';
const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };
const rc = (s: string) => [...s].reverse().map((b) => COMPLEMENT[b] ?? 'N').join('');

/**
 * A deterministic random reference: two contigs of 300 kb, from mulberry32. (It was once a linear
 * congruential generator taken modulo 4: its low bits cycle, and in floating point the product lost them,
 * which made this reference all A, so that every molecule matched any junction.)
 */
function reference(): Record<string, string> {
  let a = 12345;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const contig = (n: number) => Array.from({ length: n }, () => 'ACGT'[next() & 3]).join('');
  return { r1: contig(300_000), r2: contig(300_000) };
}

function readFasta(path: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('>')) name = line.slice(1).trim();
    else if (line) out.set(name, (out.get(name) ?? '') + line.trim());
  }
  return out;
}

describe('the artefact generator of the benchmark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lag-artefacts-'));
  const ref = reference();
  const refPath = join(dir, 'ref.fa');
  writeFileSync(refPath, Object.entries(ref).map(([n, s]) => `>${n}\n${s}\n`).join(''));
  test('the test reference is random sequence, where 30 bases place a read (not a repeat, where any would)', () => {
    const r1 = ref['r1']!;
    for (const b of 'ACGT') expect(r1.split(b).length - 1).toBeGreaterThan(0.2 * r1.length);
    for (const at of [0, 100_000, 299_970]) {
      const kmer = r1.slice(at, at + 30);
      expect(r1.indexOf(kmer)).toBe(at);
      expect(r1.indexOf(kmer, at + 1)).toBe(-1);
      expect(ref['r2']!.includes(kmer)).toBe(false);
    }
  });
  const run = (seed: number, out: string) => execFileSync(PYTHON, [SCRIPT, '--ref', refPath, '--seed', String(seed), '--coverage', '30', '--out', join(dir, out)], { stdio: 'pipe' });
  run(7, 'a');
  run(7, 'b');
  run(8, 'c');
  const files = ['molecules.fa', 'decoy.fa', 'artefacts.tsv'];
  const read = (out: string, f: string) => readFileSync(join(dir, out, f), 'utf8');

  test('the same seed writes the same bytes; another seed, other molecules', () => {
    for (const f of files) expect(read('b', f)).toBe(read('a', f));
    expect(read('c', 'molecules.fa')).not.toBe(read('a', 'molecules.fa'));
  });

  test('every hotspot molecule is the junction it is logged with, read from the reference, in one orientation or the other', () => {
    const molecules = readFasta(join(dir, 'a', 'molecules.fa'));
    const hotspots = read('a', 'artefacts.tsv').split('\n').filter((l) => l.startsWith('hotspot\t'));
    expect(hotspots.length).toBe(6); // one per 100 kb
    let checked = 0;
    hotspots.forEach((line, h) => {
      const junctions = /junctions=(\S+)/.exec(line)![1]!.split(',').map((j) => j.split('>').map((end) => end.split(':')) as [string[], string[]]);
      const mine = [...molecules].filter(([name]) => name.startsWith(`hot${h}_`));
      for (const [, m] of mine) {
        const fits = junctions.some(([[lc, lp, ls], [rcName, rp, rs]]) =>
          [m, rc(m)].some((mol) => {
            for (let a = 30; a <= mol.length - 30; a++) {
              const b = mol.length - a;
              const left = ls === '+' ? ref[lc!]!.slice(Number(lp) - a, Number(lp)) : rc(ref[lc!]!.slice(Number(lp), Number(lp) + a));
              if (mol.slice(0, a) !== left) continue;
              const right = rs === '+' ? ref[rcName!]!.slice(Number(rp), Number(rp) + b) : rc(ref[rcName!]!.slice(Number(rp) - b, Number(rp)));
              if (mol.slice(a) === right) return true;
            }
            return false;
          }),
        );
        expect(fits).toBe(true);
        checked++;
      }
      expect(mine.length).toBe(Number(/molecules=(\d+)/.exec(line)![1]));
    });
    expect(checked).toBeGreaterThan(0);
  });

  test('random chimeras: 0.2 % of the read pairs; diverged copies: one per 250 kb, inside 600 bp of novel sequence on each side', () => {
    const molecules = readFasta(join(dir, 'a', 'molecules.fa'));
    const pairs = (30 * 600_000) / 300;
    expect([...molecules.keys()].filter((n) => n.startsWith('chim')).length).toBeLessThanOrEqual(Math.floor(pairs * 0.002));
    expect([...molecules.keys()].filter((n) => n.startsWith('chim')).length).toBeGreaterThan(Math.floor(pairs * 0.002) * 0.9);
    const decoys = readFasta(join(dir, 'a', 'decoy.fa'));
    const logged = read('a', 'artefacts.tsv').split('\n').filter((l) => l.startsWith('decoy\t'));
    expect(decoys.size).toBe(2);
    expect(logged.length).toBe(2);
    logged.forEach((line, k) => {
      const [, contig, start, end, div] = line.split('\t') as [string, string, string, string, string];
      const divergence = Number(div.split('=')[1]);
      expect(divergence).toBeGreaterThanOrEqual(0.02);
      expect(divergence).toBeLessThanOrEqual(0.05);
      const core = decoys.get(`decoy${k}`)!.slice(600, -600);
      const source = ref[contig]!.slice(Number(start), Number(end));
      // Substitutions and small indels: about as long as its source, and mostly but not wholly the same.
      expect(Math.abs(core.length - source.length)).toBeLessThan(0.02 * source.length + 10);
      expect(core).not.toBe(source);
      // 12-mers of the source found in the copy: at 2-5 % divergence, half or more (none for unrelated sequence).
      const kmers = Array.from({ length: Math.floor(source.length / 12) }, (_, i) => source.slice(12 * i, 12 * i + 12));
      expect(kmers.filter((k) => core.includes(k)).length).toBeGreaterThan(0.4 * kmers.length);
      expect(kmers.filter((k) => core.includes(k)).length).toBeLessThan(kmers.length);
    });
  });

  test("no chimera takes sequence the donor lacks (--absent: its homozygous deletions), nor from within 1 kb of it", () => {
    // r1:50,001-250,000 deleted on both haplotypes: two thirds of r1.
    writeFileSync(join(dir, 'absent.tsv'), 'r1\t50001\t250000\n');
    execFileSync(PYTHON, [SCRIPT, '--ref', refPath, '--seed', '7', '--coverage', '30', '--out', join(dir, 'absent'), '--absent', join(dir, 'absent.tsv')], { stdio: 'pipe' });
    const gone = ref['r1']!.slice(49_000, 251_000);
    const molecules = [...readFasta(join(dir, 'absent', 'molecules.fa')).values()];
    expect(molecules.length).toBeGreaterThan(50);
    // Each end of a molecule is 30+ bases of one of its two parts (either strand): none found in the absent stretch.
    for (const m of molecules) for (const end of [m.slice(0, 30), m.slice(-30)]) expect(gone.includes(end) || gone.includes(rc(end))).toBe(false);
    for (const line of read('absent', 'artefacts.tsv').split('\n').filter((l) => l.startsWith('hotspot\t'))) {
      for (const [contig, pos] of /junctions=(\S+)/.exec(line)![1]!.split(/[,>]/).map((e) => e.split(':'))) {
        if (contig === 'r1') expect(Number(pos) < 49_000 || Number(pos) > 251_000).toBe(true);
      }
    }
    // Without --absent the same seed does take some from there.
    const before = [...readFasta(join(dir, 'a', 'molecules.fa')).values()];
    expect(before.some((m) => [m.slice(0, 30), m.slice(-30)].some((end) => gone.includes(end) || gone.includes(rc(end))))).toBe(true);
  });

  test('chimeras come from each stretch in proportion to the copies the donor holds of it (--copies)', () => {
    // r1 held once (a heterozygous deletion over the whole contig), r2 twice: r1 gives a third of the templates, not half.
    writeFileSync(join(dir, 'copies.tsv'), 'r1\t1\t300000\t1\n');
    const share = (out: string, args: string[]) => {
      execFileSync(PYTHON, [SCRIPT, '--ref', refPath, '--seed', '11', '--coverage', '30', '--out', join(dir, out), ...args], { stdio: 'pipe' });
      const molecules = [...readFasta(join(dir, out, 'molecules.fa'))].filter(([name]) => name.startsWith('chim')).map(([, m]) => m);
      let r1 = 0;
      let all = 0;
      for (const m of molecules) {
        for (const end of [m.slice(0, 30), m.slice(-30)]) {
          const onR1 = ref['r1']!.includes(end) || ref['r1']!.includes(rc(end));
          const onR2 = ref['r2']!.includes(end) || ref['r2']!.includes(rc(end));
          if (onR1 || onR2) all++;
          if (onR1) r1++;
        }
      }
      expect(all).toBeGreaterThan(150);
      return r1 / all;
    };
    const even = share('copies-none', []);
    const halved = share('copies-r1', ['--copies', join(dir, 'copies.tsv')]);
    expect(even).toBeGreaterThan(0.4);
    expect(even).toBeLessThan(0.6);
    expect(halved).toBeGreaterThan(0.2);
    expect(halved).toBeLessThan(0.45);
  });

  test('a malformed --copies file is refused, naming the line', () => {
    writeFileSync(join(dir, 'bad-copies.tsv'), 'r1\t100\t200\n');
    const r = spawnSync(PYTHON, [SCRIPT, '--ref', refPath, '--seed', '1', '--coverage', '30', '--out', join(dir, 'bad2'), '--copies', join(dir, 'bad-copies.tsv')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad-copies.tsv:1: expected "contig start end copies"/);
  });

  test('a malformed --absent file is refused, naming the line', () => {
    writeFileSync(join(dir, 'bad-absent.tsv'), 'r1\t100\t200\nr1 x 300\n');
    const r = spawnSync(PYTHON, [SCRIPT, '--ref', refPath, '--seed', '1', '--coverage', '30', '--out', join(dir, 'bad'), '--absent', join(dir, 'bad-absent.tsv')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad-absent.tsv:2: expected "contig start end"/);
  });

  test('a reference too small for the layer is refused with the reason', () => {
    const small = join(dir, 'small.fa');
    writeFileSync(small, `>s\n${'ACGT'.repeat(1000)}\n`);
    const r = spawnSync(PYTHON, [SCRIPT, '--ref', small, '--seed', '1', '--coverage', '30', '--out', join(dir, 'small')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/reference too small for an artefact layer: 4000 bp/);
  });
});
