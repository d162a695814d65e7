/**
 * LAG's own BAM decoding (BAI → chunks → BGZF spans → records) against
 * samtools and against the @gmod/bam path it replaced, on the fixtures of
 * test/data. samtools must be installed: without it these tests fail.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFile } from 'generic-filehandle2';
import { BlobRangeFilehandle, getContainerClient, uploadBuffer } from '../../functions/adapters/blobs';
import { BaiIndex, mergeChunks, overlappingBins } from '../../shared/bam/baiIndex';
import { BGZF_MAX_BLOCK_SIZE } from '../../shared/bam/bgzfBlocks';
import { scanRecords } from '../../shared/bam/fastScan';
import { openIndexedBam, type IndexedBam } from '../../shared/bam/indexedBam';
import { openAlignment } from '../../shared/bam/open';
import type { BamRecordCursor } from '../../shared/bam/recordCursor';
import { scanRegion } from '../../shared/bam/scan';
import { InputError } from '../../shared/errors';

const DATA = path.join(__dirname, '..', 'data');
const EXAMPLE = path.join(DATA, 'example', 'example.bam');
const SMALL = path.join(DATA, 'bad', 'small.bam');
const TRUNCATED = path.join(DATA, 'bad', 'truncated.bam');

/** A LocalFile that records every read (length, position): what would be one ranged GET each in Azure. */
class CountingFile extends LocalFile {
  readonly reads: { length: number; position: number }[] = [];
  override read(length: number, position = 0): Promise<Uint8Array<ArrayBuffer>> {
    this.reads.push({ length, position });
    return super.read(length, position);
  }
}

function samtools(args: string[]): string {
  return execFileSync('samtools', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** SAM lines of the records whose 1-based POS lies in the 0-based half-open [start, end). */
function samtoolsRecords(bam: string, contig: string, start: number, end: number): string[][] {
  return samtools(['view', bam, `${contig}:${start + 1}-${end}`])
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'))
    .filter((f) => Number(f[3]) >= start + 1);
}

async function openLocal(bam: string, bai = `${bam}.bai`): Promise<IndexedBam & { file: CountingFile }> {
  const contigs = samtools(['view', '-H', bam])
    .split('\n')
    .filter((l) => l.startsWith('@SQ'))
    .map((l) => /\tSN:([^\t]+)/.exec(l)?.[1] ?? '');
  const file = new CountingFile(bam);
  const opened = await openIndexedBam({ bam: file, bai: new LocalFile(bai), names: { bam: path.basename(bam), bai: path.basename(bai) }, contigs });
  return { ...opened, file };
}

interface Fields {
  pos: number;
  flag: number;
  mapq: number;
  tlen: number;
}

async function scanFields(bam: IndexedBam, contig: string, start: number, end: number): Promise<Fields[]> {
  const out: Fields[] = [];
  await scanRecords(bam, contig, start, end, (r) => out.push({ pos: r.start + 1, flag: r.flags, mapq: r.mapq, tlen: r.tlen }));
  return out;
}

function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-fastscan-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes `bytes` as a BAM next to a copy of `bai` and returns the BAM's path. */
function writeVariant(name: string, bytes: Uint8Array, bai: string): string {
  const bam = path.join(tmp, name);
  fs.writeFileSync(bam, bytes);
  fs.copyFileSync(bai, `${bam}.bai`);
  return bam;
}

/** Compressed offsets of the BGZF blocks of a file (from each header's BSIZE). */
function blockOffsets(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let o = 0; o < bytes.length; o += bytes.readUInt16LE(o + 16) + 1) out.push(o);
  return out;
}

describe('samtools is available (these tests never skip)', () => {
  test('samtools runs', () => {
    expect(samtools(['--version'])).toMatch(/^samtools \d/);
  });
});

describe('BAI parsing', () => {
  test('reg2bins gives the UCSC bins of each level', () => {
    expect(overlappingBins(0, 1)).toEqual([0, 1, 9, 73, 585, 4681]);
    // 16 kb boundary: positions 16383 and 16384 fall in leaf bins 4681 and 4682.
    expect(overlappingBins(16383, 16385)).toEqual([0, 1, 9, 73, 585, 4681, 4682]);
    expect(overlappingBins(1 << 26, (1 << 26) + 1)).toEqual([0, 2, 17, 137, 1097, 4681 + 4096]);
  });

  test('chunks are sorted and overlapping, touching or same-block chunks merged', () => {
    const v = (block: number, offset: number): { block: number; offset: number } => ({ block, offset });
    expect(
      mergeChunks([
        { begin: v(500, 0), end: v(600, 10) },
        { begin: v(100, 5), end: v(200, 0) },
        { begin: v(200, 0), end: v(300, 7) },
        { begin: v(300, 100), end: v(400, 0) },
        { begin: v(150, 0), end: v(180, 0) },
      ]),
    ).toEqual([
      { begin: v(100, 5), end: v(400, 0) },
      { begin: v(500, 0), end: v(600, 10) },
    ]);
  });

  test('mapped reads per reference match samtools idxstats', () => {
    const index = BaiIndex.parse(fs.readFileSync(`${EXAMPLE}.bai`));
    const mapped = Number(samtools(['idxstats', EXAMPLE]).split('\t')[2]);
    expect(index.referenceCount).toBe(1);
    expect(index.mappedReads(0)).toBe(mapped);
  });

  test('a file that is not a BAI is refused as BAI_INVALID', async () => {
    const err = await errorOf(
      openIndexedBam({ bam: new LocalFile(SMALL), bai: new LocalFile(SMALL), names: { bam: 'small.bam', bai: 'small.bam.bai' }, contigs: ['20'] }),
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'BAI_INVALID' });
    expect((err as Error).message).toMatch(/small\.bam\.bai .*samtools index small\.bam/);
  });
});

describe('scanRecords agrees with samtools view', () => {
  const regions: [string, number, number][] = [
    ['whole contig', 0, 2_000_000],
    ['truth_del_4 and flanks', 1_300_000, 1_320_000],
    ['one 16 kb window boundary', 16_384 * 40 - 700, 16_384 * 40 + 700],
    ['hard-clipped split reads of truth_del_1', 95_000, 100_000],
    ['contig end', 1_990_000, 2_000_000],
    ['one base', 1_234_567, 1_234_568],
  ];

  test.each(regions)('%s: count', async (_label, start, end) => {
    const bam = await openLocal(EXAMPLE);
    const n = await scanRecords(bam, '20', start, end, () => undefined);
    expect(n).toBe(samtoolsRecords(EXAMPLE, '20', start, end).length);
  });

  test('exact (pos, flag, mapq, tlen) of every record of a region, in order', async () => {
    const bam = await openLocal(EXAMPLE);
    const [start, end] = [1_300_000, 1_320_000];
    const expected = samtoolsRecords(EXAMPLE, '20', start, end).map((f) => ({
      pos: Number(f[3]),
      flag: Number(f[1]),
      mapq: Number(f[4]),
      tlen: Number(f[8]),
    }));
    expect(expected.length).toBeGreaterThan(1000);
    expect(await scanFields(bam, '20', start, end)).toEqual(expected);
  });

  test('with -F 0xF04 -q 20 applied to the records, the count matches samtools', async () => {
    const bam = await openLocal(SMALL);
    let n = 0;
    await scanRecords(bam, '20', 0, 2_000_000, (r) => {
      if (!(r.flags & 0xf04) && r.mapq >= 20) n++;
    });
    expect(n).toBe(Number(samtools(['view', '-c', '-F', '0xF04', '-q', '20', SMALL, '20']).trim()));
  });

  test('lazy fields: name, CIGAR, clips, SA and NM tags, sequence and qualities', async () => {
    const bam = await openLocal(EXAMPLE);
    for (const [start, end] of [
      [1_300_000, 1_320_000],
      [95_000, 100_000],
    ] as const) {
      const sam = samtoolsRecords(EXAMPLE, '20', start, end);
      let i = 0;
      let clipped = 0;
      let split = 0;
      await scanRecords(bam, '20', start, end, (r) => {
        const f = sam[i++]!;
        const tags = new Map(f.slice(11).map((t) => [t.slice(0, 2), t.slice(5)]));
        expect(r.name).toBe(f[0]);
        expect(r.cigar).toBe(f[5]);
        const lead = /^(?:\d+H)?(\d+)S/.exec(f[5]!);
        const trail = /(\d+)S(?:\d+H)?$/.exec(f[5]!);
        expect(r.clipStart).toBe(lead ? Number(lead[1]) : 0);
        expect(r.clipEnd).toBe(trail ? Number(trail[1]) : 0);
        if (lead || trail) clipped++;
        expect(r.sa).toBe(tags.get('SA'));
        if (r.sa !== undefined) split++;
        expect(r.aux('NM')).toBe(Number(tags.get('NM')));
        expect(r.aux('XX')).toBeUndefined();
        expect(r.sequence()).toBe(f[9]);
        expect(Buffer.from(r.qualities().map((q) => q + 33)).toString('latin1')).toBe(f[10]);
      });
      expect(i).toBe(sam.length);
      expect(clipped).toBeGreaterThan(0);
      expect(split).toBeGreaterThan(0);
    }
  });

  test('a detached record keeps its fields after the scan moved on', async () => {
    const bam = await openLocal(EXAMPLE);
    const kept: BamRecordCursor[] = [];
    const seen: string[] = [];
    await scanRecords(bam, '20', 1_300_000, 1_301_000, (r) => {
      seen.push(`${r.name} ${r.start} ${r.end} ${r.cigar}`);
      kept.push(r.detach());
    });
    expect(kept.map((r) => `${r.name} ${r.start} ${r.end} ${r.cigar}`)).toEqual(seen);
  });
});

describe('scanRegion (the entry point the activities use)', () => {
  test('visits exactly what the @gmod/bam path returned (fields, CIGAR end, order)', async () => {
    const aln = await openAlignment(new LocalFile(EXAMPLE), new LocalFile(`${EXAMPLE}.bai`), { bam: 'example.bam', bai: 'example.bam.bai' });
    for (const [start, end] of [
      [0, 400_000],
      [1_300_000, 1_320_000],
      [1_999_000, 2_000_000],
    ] as const) {
      const key = (r: { ref_id: number; start: number; end: number; flags: number; mapq: number; next_refid: number; next_pos: number; tlen: number; seqLength: number }): string =>
        [r.ref_id, r.start, r.end, r.flags, r.mapq, r.next_refid, r.next_pos, r.tlen, r.seqLength].join(',');
      const expected = (await aln.bam.getRecordsForRange('20', start, end)).filter((r) => r.start >= start && r.start < end).map(key);
      aln.bam.chunkFeatureCache.clear();
      const got: string[] = [];
      const n = await scanRegion(aln.bam, 'example.bam', '20', start, end, (r) => got.push(key(r)));
      expect(n).toBe(expected.length);
      expect(got).toEqual(expected);
    }
  });

  test('records starting exactly at window boundaries are visited once', async () => {
    const aln = await openAlignment(new LocalFile(EXAMPLE), new LocalFile(`${EXAMPLE}.bai`), { bam: 'example.bam', bai: 'example.bam.bai' });
    const [start, end] = [1_300_000, 1_320_000];
    // Boundaries placed exactly on read starts (0-based), several reads starting at some of them.
    const starts = samtoolsRecords(EXAMPLE, '20', start, end).map((f) => Number(f[3]) - 1);
    const cuts = [start, starts[100]!, starts[101]!, starts[1000]!, starts[1500]!, end];
    expect(new Set(cuts).size).toBe(cuts.length);
    const offsets: number[] = [];
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      total += await scanRegion(aln.bam, 'example.bam', '20', cuts[i]!, cuts[i + 1]!, (r) => {
        expect(r.start).toBeGreaterThanOrEqual(cuts[i]!);
        expect(r.start).toBeLessThan(cuts[i + 1]!);
        offsets.push(r.fileOffset);
      });
    }
    expect(total).toBe(starts.length);
    expect(new Set(offsets).size).toBe(starts.length);

    // Small progress windows change nothing but the reports.
    const progress: number[] = [];
    const n = await scanRegion(aln.bam, 'example.bam', '20', start, end, () => undefined, {
      windowSize: 1_000,
      onProgress: (done, all) => {
        expect(all).toBe(end - start);
        progress.push(done);
      },
    });
    expect(n).toBe(starts.length);
    expect(progress).toEqual([...Array.from({ length: 19 }, (_, k) => (k + 1) * 1_000), 20_000]);
  });

  test('a region with no reads (inside homozygous truth_del_5) visits nothing', async () => {
    const bam = await openLocal(EXAMPLE);
    expect(samtoolsRecords(EXAMPLE, '20', 1_470_000, 1_480_000)).toHaveLength(0);
    expect(await scanRecords(bam, '20', 1_470_000, 1_480_000, () => undefined)).toBe(0);
    expect(bam.file.reads.length).toBeLessThanOrEqual(1);
  });

  test('an unknown contig is a bug of the caller, not an empty region', async () => {
    const bam = await openLocal(EXAMPLE);
    await expect(scanRecords(bam, 'chr20', 0, 1000, () => undefined)).rejects.toMatchObject({ code: 'UNKNOWN_CONTIG' });
  });
});

describe('reads are few and large', () => {
  test('a whole-contig scan reads the BAM in spans, never block by block', async () => {
    const bam = await openLocal(EXAMPLE);
    const size = fs.statSync(EXAMPLE).size;
    const span = 1 << 20;
    const n = await scanRecords(bam, '20', 0, 2_000_000, () => undefined, { spanBytes: span });
    expect(n).toBe(Number(samtools(['view', '-c', EXAMPLE, '20']).trim()));
    // ~6 MB in 1 MiB spans: each span re-reads at most the one block it cut.
    expect(bam.file.reads.length).toBeLessThanOrEqual(Math.ceil(size / (span - BGZF_MAX_BLOCK_SIZE)));
    for (const r of bam.file.reads.slice(0, -1)) expect(r.length).toBe(span);
    // Spans are contiguous: each starts where the previous one's last whole block ended.
    for (let i = 1; i < bam.file.reads.length; i++) {
      const prev = bam.file.reads[i - 1]!;
      const gap = prev.position + prev.length - bam.file.reads[i]!.position;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(BGZF_MAX_BLOCK_SIZE);
    }
  });

  test('the default span reads a 20 kb region in one request', async () => {
    const bam = await openLocal(EXAMPLE);
    await scanRecords(bam, '20', 1_300_000, 1_320_000, () => undefined);
    expect(bam.file.reads).toHaveLength(1);
  });

  test('through Blob Storage (Azurite): one GET per 4 MiB span, one for the index', async () => {
    const container = `fastscan-${randomUUID().slice(0, 8)}`;
    await getContainerClient(container).create();
    try {
      const bamRef = await uploadBuffer(container, 'example.bam', fs.readFileSync(EXAMPLE), 'application/octet-stream');
      const baiRef = await uploadBuffer(container, 'example.bam.bai', fs.readFileSync(`${EXAMPLE}.bai`), 'application/octet-stream');
      const bamFh = BlobRangeFilehandle.fromRef({ container, name: 'example.bam', etag: bamRef.etag });
      const baiFh = BlobRangeFilehandle.fromRef({ container, name: 'example.bam.bai', etag: baiRef.etag });
      const aln = await openAlignment(bamFh, baiFh, { bam: 'example.bam', bai: 'example.bam.bai' });
      const [bamBefore, baiBefore] = [bamFh.requests, baiFh.requests];
      const n = await scanRegion(aln.bam, 'example.bam', '20', 0, 2_000_000, () => undefined);
      expect(n).toBe(Number(samtools(['view', '-c', EXAMPLE, '20']).trim()));
      expect(bamFh.requests - bamBefore).toBe(2); // 6 MB: two 4 MiB spans
      expect(baiFh.requests - baiBefore).toBe(1);
      await scanRegion(aln.bam, 'example.bam', '20', 1_300_000, 1_320_000, () => undefined);
      expect(baiFh.requests - baiBefore).toBe(1); // the parsed index is reused
    } finally {
      await getContainerClient(container).deleteIfExists();
    }
  });
});

describe('damaged files are BAM_CORRUPT, naming the file, region and byte offset', () => {
  async function corruptError(bamPath: string, start: number, end: number, options: { checkCrc?: boolean } = {}): Promise<InputError> {
    const bam = await openLocal(bamPath);
    const err = await errorOf(scanRecords(bam, '20', start, end, () => undefined, options));
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'BAM_CORRUPT', retryable: false });
    const message = (err as Error).message;
    expect(message).toContain(path.basename(bamPath));
    expect(message).toContain(`20:${start + 1}-${end}`);
    expect(message).toMatch(/byte \d+/);
    expect(message).toMatch(/samtools view -c .*upload the file again.*regenerate the BAM/);
    return err as InputError;
  }

  test('truncated.bam (cut inside a block, index of the whole file): the part before the cut still scans', async () => {
    const bam = await openLocal(TRUNCATED, `${SMALL}.bai`);
    const [start, end] = [1_200_000, 1_210_000];
    expect(await scanRecords(bam, '20', start, end, () => undefined)).toBe(samtoolsRecords(SMALL, '20', start, end).length);
    const err = await corruptError(TRUNCATED, 1_300_000, 1_400_000);
    expect(err.message).toMatch(/truncated/);
  });

  test('a block whose deflate data is overwritten', async () => {
    const bytes = fs.readFileSync(SMALL);
    const blocks = blockOffsets(bytes);
    const target = blocks[Math.floor(blocks.length / 2)]!;
    bytes.fill(0xff, target + 40, target + 400);
    const err = await corruptError(writeVariant('deflate.bam', bytes, `${SMALL}.bai`), 1_200_000, 1_400_000);
    expect(err.message).toContain(`byte ${target}`);
  });

  test('a block header that is not BGZF', async () => {
    const bytes = fs.readFileSync(SMALL);
    const target = blockOffsets(bytes)[5]!;
    bytes[target] = 0x00;
    const err = await corruptError(writeVariant('header.bam', bytes, `${SMALL}.bai`), 1_200_000, 1_400_000);
    expect(err.message).toMatch(/no BGZF block header/);
  });

  test('an ISIZE that does not match the data', async () => {
    const bytes = fs.readFileSync(SMALL);
    const blocks = blockOffsets(bytes);
    const target = blocks[6]!;
    const isizeAt = blocks[7]! - 4;
    bytes.writeUInt32LE(bytes.readUInt32LE(isizeAt) - 1, isizeAt);
    const err = await corruptError(writeVariant('isize.bam', bytes, `${SMALL}.bai`), 1_200_000, 1_400_000);
    expect(err.message).toMatch(/footer declares/);
    expect(err.message).toContain(`byte ${target}`);
  });

  test('a wrong CRC32 is caught when checkCrc is on', async () => {
    const bytes = fs.readFileSync(SMALL);
    const blocks = blockOffsets(bytes);
    const crcAt = blocks[7]! - 8;
    bytes.writeUInt32LE((bytes.readUInt32LE(crcAt) ^ 1) >>> 0, crcAt);
    const bamPath = writeVariant('crc.bam', bytes, `${SMALL}.bai`);
    const err = await corruptError(bamPath, 1_200_000, 1_400_000, { checkCrc: true });
    expect(err.message).toMatch(/CRC32/);
    // Off by default: the data itself decodes.
    const bam = await openLocal(bamPath);
    expect(await scanRecords(bam, '20', 1_200_000, 1_400_000, () => undefined)).toBe(samtoolsRecords(SMALL, '20', 1_200_000, 1_400_000).length);
  });

  test('scanRegion reports the same error for a BamFile', async () => {
    const bytes = fs.readFileSync(SMALL);
    const blocks = blockOffsets(bytes);
    // A block past the header, which openAlignment (@gmod/bam) decodes on its own.
    const target = blocks[Math.floor(blocks.length / 2)]!;
    bytes.fill(0xff, target + 40, target + 400);
    const bamPath = writeVariant('scanregion.bam', bytes, `${SMALL}.bai`);
    const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(`${bamPath}.bai`), { bam: 'scanregion.bam', bai: 'scanregion.bam.bai' });
    await expect(scanRegion(aln.bam, 'scanregion.bam', '20', 1_200_000, 1_400_000, () => undefined)).rejects.toMatchObject({
      code: 'BAM_CORRUPT',
      message: expect.stringMatching(/scanregion\.bam is damaged in 20:1200001-1400000/),
    });
  });
});
