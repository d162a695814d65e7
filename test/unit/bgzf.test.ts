import { execFileSync } from 'node:child_process';
import * as zlib from 'node:zlib';
import { BGZF_BLOCK_DATA_SIZE, BGZF_EOF, bgzfCompress, crc32, tableCrc32 } from '../../shared/vcf/bgzf';

/** Deterministic bytes: text-like (compressible) or noise (incompressible). */
function sample(size: number, noise: boolean): Buffer {
  const out = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = noise ? x >>> 24 : 'ACGT\tchr1\n'.charCodeAt((x >>> 16) % 10);
  }
  return out;
}

/** Walks the members, checking each header, BSIZE, CRC32 and ISIZE. */
function blocks(bytes: Buffer): { offset: number; data: Buffer }[] {
  const found: { offset: number; data: Buffer }[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    expect([...bytes.subarray(offset, offset + 4)]).toEqual([0x1f, 0x8b, 8, 4]);
    expect(bytes.readUInt16LE(offset + 10)).toBe(6); // XLEN
    expect(bytes.toString('latin1', offset + 12, offset + 14)).toBe('BC');
    expect(bytes.readUInt16LE(offset + 14)).toBe(2); // SLEN
    const size = bytes.readUInt16LE(offset + 16) + 1;
    const block = bytes.subarray(offset, offset + size);
    const data = zlib.inflateRawSync(block.subarray(18, size - 8));
    expect(block.readUInt32LE(size - 8)).toBe(tableCrc32(data));
    expect(block.readUInt32LE(size - 4)).toBe(data.length);
    expect(data.length).toBeLessThanOrEqual(BGZF_BLOCK_DATA_SIZE);
    found.push({ offset, data });
    offset += size;
  }
  return found;
}

describe('bgzfCompress', () => {
  const sizes = [0, 1, 65280, 65281, 300000];

  it.each(sizes.flatMap((size) => [[size, false], [size, true]] as const))(
    'round-trips %i bytes (noise: %s) through gunzip and bgzip',
    (size, noise) => {
      const data = sample(size, noise);
      const gz = bgzfCompress(data);
      expect(zlib.gunzipSync(gz.bytes).equals(data)).toBe(true);
      expect(execFileSync('bgzip', ['-dc'], { input: gz.bytes, maxBuffer: 1 << 24 }).equals(data)).toBe(true);
      expect(gz.bytes.subarray(-BGZF_EOF.length).equals(BGZF_EOF)).toBe(true);

      const found = blocks(gz.bytes);
      expect(found.map((b) => b.offset)).toEqual(gz.blockOffsets);
      expect(found).toHaveLength(Math.ceil(size / BGZF_BLOCK_DATA_SIZE) + 1);
      expect(found[found.length - 1]?.data.length).toBe(0);
    },
  );

  it('maps uncompressed offsets to virtual offsets as bgzf_tell does', () => {
    const data = sample(300000, true);
    const gz = bgzfCompress(data);
    const found = blocks(gz.bytes);
    for (const u of [0, 1, 65279, 65280, 65281, 200000, 299999]) {
      const v = gz.virtualOffset(u);
      const block = found.find((b) => BigInt(b.offset) === v >> 16n);
      expect(block?.data[Number(v & 0xffffn)]).toBe(data[u]);
    }
    // A block boundary is the next block's start, never (previous, 65280).
    expect(gz.virtualOffset(BGZF_BLOCK_DATA_SIZE)).toBe(BigInt(gz.blockOffsets[1] ?? -1) << 16n);
    // The end of the data is the EOF block.
    expect(gz.virtualOffset(data.length)).toBe(BigInt(gz.blockOffsets[gz.blockOffsets.length - 1] ?? -1) << 16n);
    expect(() => gz.virtualOffset(data.length + 1)).toThrow();
    expect(bgzfCompress(Buffer.alloc(0)).bytes.equals(BGZF_EOF)).toBe(true);
  });

  it('computes CRC32 with and without zlib.crc32', () => {
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    const data = sample(70000, true);
    expect(tableCrc32(data)).toBe(crc32(data));
  });
});
