/**
 * The SV caller on tiny named fixtures, one per kind of evidence: real bwa mem
 * alignments of simulated reads around one simulated event each
 * (test/data/evidence/fixtures.tsv; scripts/make-evidence-fixtures.sh cuts
 * them from the benchmark genome). Each fixture runs through the real path:
 * LAG's BAM decoder, the read-evidence and pair callers, the VCF writer.
 *
 * Two checks per fixture:
 * - the truth: the implanted event is called (type, position, size,
 *   genotype) — or, for `none`, nothing is;
 * - a golden file (`<name>.golden.json`): every call with its evidence
 *   counts, so that any change in what the caller reports is seen in review.
 *   `UPDATE_GOLDEN=1 npx jest test/integration/evidence.test.ts` rewrites
 *   them after a deliberate change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalFile } from 'generic-filehandle2';
import { openAlignment } from '../../shared/bam/open';
import { LibraryAccumulator } from '../../shared/bam/profile';
import { scanRegion } from '../../shared/bam/scan';
import { createSvCaller } from '../../shared/caller/caller';
import type { SvCall, WorkUnit } from '../../shared/contracts';
import { removeDuplicates } from '../../shared/merge';
import { featureVector, FEATURE_NAMES } from '../../shared/scoring/features';

const DIR = path.join(__dirname, '..', 'data', 'evidence');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Fixture {
  name: string;
  regions: { contig: string; start: number; end: number }[];
  truth: { type: string; chrom: string; pos: number; svlen: number; gt: string } | null;
  /** No true event, and one the caller's rules cannot reject (a library artefact): the model's job; golden file only. */
  artefact: boolean;
  evidence: string;
}

function fixtures(): Fixture[] {
  const lines = fs.readFileSync(path.join(DIR, 'fixtures.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [name, regions, type, chrom, pos, svlen, gt, evidence] = line.split('\t') as string[] as [string, string, string, string, string, string, string, string];
    return {
      name,
      regions: regions.split(' ').map((r) => {
        const m = /^(\w+):(\d+)-(\d+)$/.exec(r);
        if (!m) throw new Error(`fixtures.tsv: bad region ${r}`);
        return { contig: m[1]!, start: Number(m[2]) - 1, end: Number(m[3]) };
      }),
      truth: type === '-' || type === 'artefact' ? null : { type, chrom, pos: Number(pos), svlen: Number(svlen), gt },
      artefact: type === 'artefact',
      evidence,
    };
  });
}

/** Runs the caller over each region of a fixture BAM (one work unit per region), as the activity does. */
async function callFixture(f: Fixture): Promise<SvCall[]> {
  const bamPath = path.join(DIR, `${f.name}.bam`);
  const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(`${bamPath}.bai`), { bam: `${f.name}.bam`, bai: `${f.name}.bam.bai` });
  const library = new LibraryAccumulator();
  for (const r of f.regions) await scanRegion(aln.bam, f.name, r.contig, r.start, r.end, (rec) => library.add(rec));
  const stats = library.result();
  const calls: SvCall[] = [];
  for (const r of f.regions) {
    const unit: WorkUnit = { id: `${r.contig}:${r.start}-${r.end}`, contig: r.contig, chromosome: r.contig, start: r.start, end: r.end, coreStart: r.start, coreEnd: r.end };
    const caller = createSvCaller({ unit, library: stats, expectedDepth: 30, contigNames: aln.header.contigs.map((c) => c.name) });
    await scanRegion(aln.bam, f.name, r.contig, r.start, r.end, (rec) => caller.observe(rec));
    calls.push(...caller.finish().calls);
  }
  return removeDuplicates(calls);
}

/** The fields a golden file pins: what the caller says and on what evidence. */
function goldenView(calls: SvCall[]) {
  return calls.map((c) => ({
    chrom: c.chrom,
    pos: c.start + 1,
    type: c.type,
    svlen: c.svlen,
    precise: c.precise,
    ciPos: c.ciPos,
    genotype: c.genotype,
    pairedEnd: c.pairedEnd,
    splitReads: c.splitReads,
    depthFoldChange: c.depthFoldChange,
    filter: c.filter,
    ...(c.mate ? { mate: `${c.mate.chrom}:${c.mate.pos}`, strands: c.strands } : {}),
  }));
}

const all = fixtures();

describe('SV evidence fixtures (real alignments of simulated reads)', () => {
  test('every fixture named in fixtures.tsv is in the repository', () => {
    for (const f of all) expect(fs.existsSync(path.join(DIR, `${f.name}.bam.bai`))).toBe(true);
  });

  test('GC counted on the packed bases equals the decoded sequence\'s', async () => {
    const f = all[0]!;
    const bamPath = path.join(DIR, `${f.name}.bam`);
    const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(`${bamPath}.bai`), { bam: 'x.bam', bai: 'x.bam.bai' });
    let checked = 0;
    await scanRegion(aln.bam, f.name, f.regions[0]!.contig, f.regions[0]!.start, f.regions[0]!.end, (r) => {
      expect(r.gcCount()).toBe((r.sequence().match(/[CGS]/g) ?? []).length);
      checked++;
    });
    expect(checked).toBeGreaterThan(100);
  });

  test("the scorer's depth features on real alignments: a true deletion and duplication weigh for their change, the full-depth chimera against it", async () => {
    const feature = (c: SvCall, name: string) => featureVector(c)[FEATURE_NAMES.indexOf(name)]!;
    const called = async (name: string, type: string) => (await callFixture(all.find((f) => f.name === name)!)).find((c) => c.type === type)!;
    const del = await called('pairs-del-1874bp', 'DEL');
    const dup = await called('pairs-dup-1735bp', 'DUP');
    const chimera = await called('artefact-del-chimera-1375bp', 'DEL');
    expect(feature(del, 'depth_log_ratio')).toBeGreaterThan(3);
    expect(feature(dup, 'depth_log_ratio')).toBeGreaterThan(3);
    expect(feature(chimera, 'depth_log_ratio')).toBeLessThan(0);
    // The fold changes alone: 0.51, 1.53 and 0.93.
    expect(feature(chimera, 'depth_fold')).toBeGreaterThan(0.9);
    // The read counts' scale: each unit's typical depth, near the 30x simulated.
    for (const c of [del, dup, chimera]) expect(feature(c, 'contig_depth') * 30).toBeGreaterThan(20);
  });

  test.each(all.map((f) => [f.name, f.evidence, f] as const))('%s (%s)', async (_name, _evidence, f) => {
    const calls = await callFixture(f);
    const passing = calls.filter((c) => c.filter === 'PASS');
    if (f.artefact) {
      // No truth to meet; what the caller reports is pinned by the golden file below.
    } else if (f.truth === null) {
      expect(goldenView(passing)).toEqual([]);
    } else {
      const t = f.truth;
      const hit = passing.find((c) => c.type === t.type && c.chrom === t.chrom && Math.abs(c.start + 1 - t.pos) <= (c.precise ? 5 : 300));
      expect(hit).toBeDefined();
      if (t.type === 'INS' && !hit!.precise) {
        // Too long for the clipped reads to bridge: a lower bound, never an overestimate, and said so.
        expect(hit!.svlen).toBeLessThanOrEqual(t.svlen);
        expect(hit!.svlenAtLeast).toBe(true);
        expect(hit!.svlen).toBeGreaterThanOrEqual(150);
      } else if (t.type !== 'BND') {
        // An end the reads did not place is as uncertain as its confidence interval.
        const slack = hit!.precise ? 0 : Math.max(hit!.ciPos[1] - hit!.ciPos[0], hit!.ciEnd[1] - hit!.ciEnd[0]) / 2;
        expect(Math.abs(hit!.svlen - t.svlen)).toBeLessThanOrEqual(Math.max(5, 0.05 * t.svlen) + slack);
        // Each end the reads did place is exact.
        if (hit!.ciPos[1] - hit!.ciPos[0] === 0) expect(Math.abs(hit!.start + 1 - t.pos)).toBeLessThanOrEqual(5);
        if (t.type !== 'INS' && hit!.ciEnd[1] - hit!.ciEnd[0] === 0) expect(Math.abs(hit!.end - (t.pos + t.svlen))).toBeLessThanOrEqual(5);
        // The event's junction reads are not a second event: no PASS insertion at its ends.
        if (t.type !== 'INS') expect(passing.filter((c) => c.type === 'INS' && (Math.abs(c.start - hit!.start) < 50 || Math.abs(c.start - hit!.end) < 50))).toEqual([]);
      }
      expect(hit!.genotype).toBe(t.gt === '1|1' ? '1/1' : '0/1');
    }
    const goldenPath = path.join(DIR, `${f.name}.golden.json`);
    const view = goldenView(calls);
    if (UPDATE || !fs.existsSync(goldenPath)) {
      if (!UPDATE) throw new Error(`${goldenPath} is missing: run UPDATE_GOLDEN=1 npx jest test/integration/evidence.test.ts and review it`);
      fs.writeFileSync(goldenPath, JSON.stringify(view, null, 1) + '\n');
    }
    expect(view).toEqual(JSON.parse(fs.readFileSync(goldenPath, 'utf8')));
  });
});
