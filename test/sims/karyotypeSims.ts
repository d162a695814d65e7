/**
 * SIMULATED DATA — small BAMs (+ BAI) for the karyotype acceptance test.
 *
 * Each BAM has the header of the full GRCh37 primary assembly (1..22, X, Y,
 * MT at their real lengths) and synthetic read pairs at ~0.01x, placed
 * uniformly at random (seeded) outside the reference's centromeres and
 * heterochromatin, with a read density per chromosome (or segment) that
 * encodes a karyotype: 46,XX; 46,XY; 47,XY,+21; 45,X; a 30 % mosaic +18;
 * 46,XY,del(5)(p11). Records are valid SAM (2x100 bp FR proper pairs, MAPQ
 * 60, SEQ/QUAL `*`, one read group) converted by samtools.
 *
 * BGZF blocks: a real 30x BAM has ~10 BGZF blocks per 16 kb window, so the
 * BAI's linear index resolves coverage finely; samtools' 64 KB blocks would
 * put a few-MB simulation at one block per several Mb, and the index would
 * say nothing. The BAM is therefore re-blocked to a few records per BGZF
 * block (any block size is valid BGZF; stored, i.e. uncompressed, by default
 * for speed) before `samtools index`: the index then resolves read counts as
 * it does for a real genome.
 *
 * Used by test/integration/karyotypeSims.test.ts (in a temp dir) and by
 * scripts/make-karyotype-sims.sh (into test/data/karyotype-sims/, git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CHROMOSOME_MAPS } from '../../shared/genome/centromeres';

export interface KaryotypeSim {
  /** File stem: `<name>.bam`. */
  name: string;
  /** ISCN description of the simulated karyotype. */
  iscn: string;
  seed: number;
  /** Copies of X and Y in every cell. */
  x: number;
  y: number;
  /** Copy number of whole autosomes other than 2 (a mosaic: 2 + fraction). */
  copies?: Record<string, number>;
  /** Segments [start, end) with another copy number (arm deletions...). */
  segments?: { chromosome: string; start: number; end: number; copyNumber: number }[];
}

const GRCH37 = CHROMOSOME_MAPS.GRCh37;
const CEN5 = GRCH37['5']!.centromere;

export const KARYOTYPE_SIMS: readonly KaryotypeSim[] = [
  { name: 'sim-46XX', iscn: '46,XX', seed: 4601, x: 2, y: 0 },
  { name: 'sim-46XY', iscn: '46,XY', seed: 4602, x: 1, y: 1 },
  { name: 'sim-47XY+21', iscn: '47,XY,+21', seed: 4701, x: 1, y: 1, copies: { '21': 3 } },
  { name: 'sim-45X', iscn: '45,X', seed: 4501, x: 1, y: 0 },
  // 30 % of cells 47,XX,+18: 2 + 0.3 copies on average.
  { name: 'sim-mos18', iscn: 'mos 47,XX,+18[30]/46,XX[70]', seed: 4718, x: 2, y: 0, copies: { '18': 2.3 } },
  // Terminal deletion of the whole short arm of 5 on one homologue.
  {
    name: 'sim-del5p',
    iscn: '46,XY,del(5)(p11)',
    seed: 4605,
    x: 1,
    y: 1,
    segments: [{ chromosome: '5', start: 0, end: CEN5[0], copyNumber: 1 }],
  },
];

/** GRCh37 pseudoautosomal regions (GRC), 0-based half-open: reads there are placed on X. */
const PAR_X: readonly (readonly [number, number])[] = [
  [60_000, 2_699_520],
  [154_931_043, 155_260_560],
];
const PAR_Y: readonly (readonly [number, number])[] = [
  [10_000, 2_649_520],
  [59_034_049, 59_363_566],
];
/** GRCh37 MT (rCRS) length; UCSC's hg19 chrM (16,571 bp) is another sequence. */
const MT_LENGTH = 16_569;

export interface SimOptions {
  /** Read pairs per Mb per copy (0.01x of 2x100 bp = 50 pairs per Mb for two copies). */
  pairsPerMbPerCopy?: number;
  /** BAM records per BGZF block. */
  recordsPerBlock?: number;
  /** Deflate the blocks: ~40 % smaller files, ~3x slower (zlib's cost per call); default: stored blocks. */
  compress?: boolean;
  samtools?: string;
}

const READ_LENGTH = 100;
const INSERT_MEAN = 300;
const INSERT_SD = 30;

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const CHROMOSOMES = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y'];

/** Piecewise copy number along a chromosome: [start, end, copies], reference gaps removed. */
function copyProfile(sim: KaryotypeSim, chromosome: string): [number, number, number][] {
  const map = GRCH37[chromosome]!;
  const base = chromosome === 'X' ? sim.x : chromosome === 'Y' ? sim.y : (sim.copies?.[chromosome] ?? 2);
  // Breakpoints: segment overrides, PARs; then cut out centromere and heterochromatin (N in the reference).
  let pieces: [number, number, number][] = [[0, map.length, base]];
  const overlay = (start: number, end: number, cn: number) => {
    const next: [number, number, number][] = [];
    for (const [s, e, c] of pieces) {
      if (e <= start || s >= end) next.push([s, e, c]);
      else {
        if (s < start) next.push([s, start, c]);
        next.push([Math.max(s, start), Math.min(e, end), cn]);
        if (e > end) next.push([end, e, c]);
      }
    }
    pieces = next;
  };
  for (const seg of sim.segments ?? []) if (seg.chromosome === chromosome) overlay(seg.start, seg.end, seg.copyNumber);
  if (chromosome === 'X') for (const [s, e] of PAR_X) overlay(s, e, sim.x + sim.y);
  if (chromosome === 'Y') for (const [s, e] of PAR_Y) overlay(s, e, 0);
  for (const [s, e] of [map.centromere, ...map.heterochromatin]) overlay(s, e, 0);
  return pieces.filter(([s, e, c]) => c > 0 && e > s);
}

interface Rec {
  pos: number;
  line: string;
}

/** The SAM text of one simulation (header + coordinate-sorted records). */
export function simulateSam(sim: KaryotypeSim, pairsPerMbPerCopy = 25): string {
  const rand = rng(sim.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const header = [
    '@HD\tVN:1.6\tSO:coordinate',
    ...CHROMOSOMES.map((c) => `@SQ\tSN:${c}\tLN:${GRCH37[c]!.length}\tAS:GRCh37`),
    `@SQ\tSN:MT\tLN:${MT_LENGTH}\tAS:GRCh37`,
    `@RG\tID:sim\tSM:${sim.name}\tPL:ILLUMINA\tDS:SIMULATED karyotype ${sim.iscn}`,
    `@CO\tSIMULATED DATA (LAG test/sims/karyotypeSims.ts, seed ${sim.seed}): not a real sample.`,
    `@CO\tKaryotype encoded in read density: ${sim.iscn}. Synthetic 2x${READ_LENGTH} bp pairs, ${pairsPerMbPerCopy} pairs/Mb/copy, SEQ and QUAL absent.`,
  ];
  const lines: string[] = [header.join('\n')];
  let serial = 0;
  for (const chromosome of CHROMOSOMES) {
    const recs: Rec[] = [];
    const length = GRCH37[chromosome]!.length;
    for (const [start, end, copies] of copyProfile(sim, chromosome)) {
      const n = Math.round(((end - start) / 1e6) * pairsPerMbPerCopy * copies);
      for (let i = 0; i < n; i++) {
        const insert = Math.max(2 * READ_LENGTH, Math.round(INSERT_MEAN + INSERT_SD * gauss()));
        const left = start + Math.floor(rand() * (end - start)); // 0-based fragment start
        const right = left + insert - READ_LENGTH;
        if (right + READ_LENGTH > length) continue;
        const name = `sim${(serial++).toString(36)}`;
        // FR proper pair: left read forward, right read reverse; read 1 is left or right at random.
        const firstIsLeft = rand() < 0.5;
        const [fl, fr] = firstIsLeft ? [99, 147] : [163, 83];
        recs.push({ pos: left, line: `${name}\t${fl}\t${chromosome}\t${left + 1}\t60\t${READ_LENGTH}M\t=\t${right + 1}\t${insert}\t*\t*\tRG:Z:sim` });
        recs.push({ pos: right, line: `${name}\t${fr}\t${chromosome}\t${right + 1}\t60\t${READ_LENGTH}M\t=\t${left + 1}\t${-insert}\t*\t*\tRG:Z:sim` });
      }
    }
    recs.sort((a, b) => a.pos - b.pos);
    for (const r of recs) lines.push(r.line);
  }
  return lines.join('\n') + '\n';
}

/** BGZF member header up to BSIZE (SAM spec §4.1). */
const BGZF_HEADER = [0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00];
const BGZF_EOF = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

/**
 * One BGZF block holding `data`: deflated, or (compress false) as a single
 * stored deflate block (RFC 1951 §3.2.4), which costs nothing to make — the
 * per-call overhead of zlib, not the data, dominates for blocks this small.
 */
function bgzfBlock(data: Buffer, compress: boolean): Buffer {
  let cdata: Buffer;
  if (compress) cdata = deflateRawSync(data, { level: 6 });
  else {
    cdata = Buffer.alloc(5 + data.length);
    cdata[0] = 1; // BFINAL, BTYPE 00 (stored)
    cdata.writeUInt16LE(data.length, 1);
    cdata.writeUInt16LE(~data.length & 0xffff, 3);
    data.copy(cdata, 5);
  }
  const block = Buffer.alloc(18 + cdata.length + 8);
  block.set(BGZF_HEADER, 0);
  block.writeUInt16LE(block.length - 1, 16);
  cdata.copy(block, 18);
  block.writeUInt32LE(crc32(data), 18 + cdata.length);
  block.writeUInt32LE(data.length, 22 + cdata.length);
  return block;
}

/** The uncompressed content of a BGZF file. */
function inflateBgzf(file: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let o = 0; o < file.length; ) {
    if (file[o] !== 0x1f || file[o + 1] !== 0x8b) throw new Error(`not BGZF at byte ${o}`);
    const bsize = file.readUInt16LE(o + 16) + 1;
    parts.push(inflateRawSync(file.subarray(o + 18, o + bsize - 8)));
    o += bsize;
  }
  return Buffer.concat(parts);
}

/**
 * Re-compresses a BAM into BGZF blocks of `recordsPerBlock` records each
 * (the header in blocks of its own), ending with the EOF block; uncompressed
 * (stored) blocks unless `compress`.
 */
export function reblockBam(bam: Buffer, recordsPerBlock: number, compress = false): Buffer {
  const raw = inflateBgzf(bam);
  if (raw.toString('latin1', 0, 4) !== 'BAM\x01') throw new Error('not a BAM stream');
  let o = 8 + raw.readInt32LE(4);
  const nRef = raw.readInt32LE(o);
  o += 4;
  for (let i = 0; i < nRef; i++) o += 4 + raw.readInt32LE(o) + 4;
  const out: Buffer[] = [];
  for (let h = 0; h < o; h += 0xff00) out.push(bgzfBlock(raw.subarray(h, Math.min(o, h + 0xff00)), compress));
  while (o < raw.length) {
    const start = o;
    for (let k = 0; k < recordsPerBlock && o < raw.length; k++) {
      const next = o + 4 + raw.readInt32LE(o);
      if (next - start > 0xff00 && k > 0) break;
      o = next;
    }
    out.push(bgzfBlock(raw.subarray(start, o), compress));
  }
  out.push(BGZF_EOF);
  return Buffer.concat(out);
}

function run(cmd: string, args: string[], input?: string | Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message} (is samtools installed?)`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Writes `<name>.bam` and `<name>.bam.bai` for each simulation into `dir`; returns the BAM paths by name. */
export function writeKaryotypeSims(dir: string, sims: readonly KaryotypeSim[] = KARYOTYPE_SIMS, opts: SimOptions = {}): Record<string, string> {
  const samtools = opts.samtools ?? 'samtools';
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const sim of sims) {
    const sam = simulateSam(sim, opts.pairsPerMbPerCopy);
    // SAM -> uncompressed BAM (samtools validates the records), then small BGZF blocks.
    const bam = reblockBam(run(samtools, ['view', '-u', '--no-PG', '-o', '-', '-'], sam), opts.recordsPerBlock ?? 4, opts.compress ?? false);
    const path = join(dir, `${sim.name}.bam`);
    writeFileSync(path, bam);
    run(samtools, ['quickcheck', path]);
    run(samtools, ['index', path]);
    paths[sim.name] = path;
  }
  return paths;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: karyotypeSims <output dir>');
    process.exit(2);
  }
  const t0 = Date.now();
  const paths = writeKaryotypeSims(dir);
  for (const sim of KARYOTYPE_SIMS) console.log(`${paths[sim.name]}\t${sim.iscn}\t(SIMULATED)`);
  console.log(`${KARYOTYPE_SIMS.length} simulated BAMs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
