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

/** A deterministic random reference: two contigs of 300 kb. */
function reference(): Record<string, string> {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const contig = (n: number) => Array.from({ length: n }, () => 'ACGT'[next() % 4]).join('');
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
      const same = [...source.slice(0, 100)].filter((b, i) => core[i] === b).length;
      expect(same).toBeGreaterThan(50);
    });
  });

  test('a reference too small for the layer is refused with the reason', () => {
    const small = join(dir, 'small.fa');
    writeFileSync(small, `>s\n${'ACGT'.repeat(1000)}\n`);
    const r = spawnSync(PYTHON, [SCRIPT, '--ref', small, '--seed', '1', '--coverage', '30', '--out', join(dir, 'small')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/reference too small for an artefact layer: 4000 bp/);
  });
});
