/**
 * Tabix (.tbi) index of a bgzipped VCF, built the way htslib's `tabix -p vcf`
 * builds it (tbx.c tbx_index/tbx_parse1; hts.c hts_idx_push, hts_idx_finish,
 * idx_save_core) so that the bytes are identical: the same interval per
 * record, the same chunks and merging, the same linear index, and bins written
 * in the iteration order of htslib's khash table, which is ported below.
 *
 * Layout (SAM spec, tabix section): magic `TBI\1`, n_ref, format, col_seq,
 * col_beg, col_end, meta, skip, l_nm, names; per reference: n_bin, bins
 * (bin, n_chunk, chunks), n_intv, linear offsets; then n_no_coor (htslib
 * always writes it).
 */
import { InternalError, UnsupportedError } from '../errors';
import { BgzfFile, bgzfCompress } from './bgzf';

/** TBI binning is fixed: 16 kb (2^14) leaf bins, 5 levels above them. */
const MIN_SHIFT = 14;
const N_LVLS = 5;
/** Bins on levels 0..5: (8^6 - 1) / 7 = 37449. */
const N_BINS = ((1 << (3 * N_LVLS + 3)) - 1) / 7;
/** htslib's pseudo-bin 37450: (off_beg, off_end) and (n_mapped, n_unmapped). */
const META_BIN = N_BINS + 1;
/** Largest coordinate a TBI can address: 2^(14 + 3*5) = 512 Mi. */
const MAX_POS = 2 ** (MIN_SHIFT + 3 * N_LVLS);
/** htslib merges a bin into its parent when its chunks span < 64 KiB of compressed file. */
const MIN_MARKER_DIST = 0x10000n;
/** tabix's VCF preset (tbx_conf_vcf): format=2 (VCF), col_seq=1, col_beg=2, col_end=0, meta='#', skip=0. */
const TBX_VCF_CONF = [2, 1, 2, 0, '#'.charCodeAt(0), 0] as const;
/** htslib's "no value yet" for linear index entries ((uint64_t)-1) and bins (0xffffffff). */
const UNSET_OFFSET = 0xffffffffffffffffn;
const NO_BIN = 0xffffffff;

export interface TabixInterval {
  contig: string;
  /** 0-based start. */
  beg: number;
  /** 0-based exclusive end. */
  end: number;
}

/**
 * The interval tabix indexes a VCF data line under (tbx_parse1, VCF preset):
 * [POS-1, POS-1+len(REF)), with INFO/END as the end when present, not '.',
 * and greater than POS-1. Numbers are read as decimal (htslib's strtoll base 0
 * would read a leading 0 as octal; VCF numbers never have one).
 */
export function vcfInterval(line: string): TabixInterval {
  const cols = line.split('\t');
  const [contig, pos, , ref, , , , info] = cols;
  const pos1 = pos === undefined ? NaN : leadingInt(pos);
  if (!contig || Number.isNaN(pos1)) {
    throw new InternalError('TABIX_PARSE', `cannot index VCF line: ${line.slice(0, 80)}`);
  }
  const beg = Math.max(pos1 - 1, 0);
  let end = ref ? beg + ref.length : 1;
  if (info !== undefined) {
    // tbx_parse1: "END=" at the start of INFO, else the first ";END=".
    const semi = info.indexOf(';END=');
    const at = info.startsWith('END=') ? 4 : semi < 0 ? -1 : semi + 5;
    if (at > 0 && info[at] !== '.') {
      const value = leadingInt(info.slice(at));
      if (value > beg) end = value;
    }
  }
  return { contig, beg, end };
}

/** strtoll-like: leading whitespace and sign, then digits; NaN when there are none. */
function leadingInt(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m?.[1] === undefined ? NaN : Number(m[1]);
}

/**
 * The .tbi for `vcf` (uncompressed VCF text, sorted by contig blocks then POS)
 * whose BGZF form is `gz`, BGZF-compressed as tabix writes it.
 */
export function buildTabixIndex(vcf: Buffer, gz: BgzfFile): Buffer {
  return bgzfCompress(tabixIndexBytes(vcf, gz)).bytes;
}

/** The uncompressed .tbi content. */
export function tabixIndexBytes(vcf: Buffer, gz: BgzfFile): Buffer {
  if (gz.uncompressedLength !== vcf.length) {
    throw new InternalError('TABIX_MISMATCH', 'VCF text and its BGZF form differ in length');
  }
  const tids = new Map<string, number>();
  let index: IndexBuilder | undefined;
  let lastOff = 0n;
  for (let start = 0; start < vcf.length; ) {
    const nl = vcf.indexOf(0x0a, start);
    const next = nl < 0 ? vcf.length : nl + 1;
    const offset = gz.virtualOffset(next);
    // latin1: one character per byte, so lengths are htslib's byte lengths.
    const line = vcf.toString('latin1', start, nl < 0 ? vcf.length : nl);
    start = next;
    if (line.startsWith('#')) {
      lastOff = offset;
      continue;
    }
    index ??= new IndexBuilder(lastOff);
    const { contig, beg, end } = vcfInterval(line);
    let tid = tids.get(contig);
    if (tid === undefined) tids.set(contig, (tid = tids.size));
    index.push(tid, beg, end, offset);
  }
  index ??= new IndexBuilder(lastOff);
  index.finish(gz.virtualOffset(vcf.length));
  return index.serialize([...tids.keys()]);
}

interface Chunk {
  u: bigint;
  v: bigint;
}

interface RefIndex {
  bins: BinHash;
  /** One entry per 16 kb window: virtual offset of the first record overlapping it. */
  linear: bigint[];
}

/** hts_idx_t for one TBI, from hts_idx_init to idx_save_core. */
class IndexBuilder {
  private readonly refs: RefIndex[] = [];
  private lastBin = NO_BIN;
  private saveBin = NO_BIN;
  private lastTid = -1;
  private saveTid = -1;
  private lastCoor = NO_BIN; // hts_idx_init sets last_coor = 0xffffffff
  private lastOff: bigint;
  private saveOff: bigint;
  private offBeg: bigint;
  private nMapped = 0n;

  constructor(offset0: bigint) {
    this.lastOff = this.saveOff = this.offBeg = offset0;
  }

  push(tid: number, beg: number, end: number, offset: bigint): void {
    if (beg > MAX_POS || end > MAX_POS) {
      throw new UnsupportedError('TABIX_RANGE', `region ${beg}..${end} cannot be stored in a tbi index`);
    }
    if (this.lastTid !== tid) {
      if (this.refs[tid]) throw new InternalError('TABIX_UNSORTED', 'contig blocks are not contiguous');
      this.lastTid = tid;
      this.lastBin = NO_BIN;
    } else if (this.lastCoor > beg) {
      throw new InternalError('TABIX_UNSORTED', `unsorted positions: ${this.lastCoor + 1} then ${beg + 1}`);
    }
    if (end < beg) throw new InternalError('TABIX_RANGE', `end ${end} < begin ${beg + 1}`);
    const ref = (this.refs[tid] ??= { bins: new BinHash(), linear: [] });
    // htslib shoehorns [-1,0) (VCF POS=0) into the leftmost leaf.
    beg = Math.max(beg, 0);
    end = Math.max(end, 1);
    for (let i = beg >> MIN_SHIFT; i <= (end - 1) >> MIN_SHIFT; i++) {
      while (ref.linear.length <= i) ref.linear.push(UNSET_OFFSET);
      if (ref.linear[i] === UNSET_OFFSET) ref.linear[i] = this.lastOff;
    }
    const bin = reg2bin(beg, end);
    if (this.lastBin !== bin) {
      if (this.saveBin !== NO_BIN) this.chunk(this.saveTid, this.saveBin, this.saveOff, this.lastOff);
      if (this.lastBin === NO_BIN && this.saveBin !== NO_BIN) {
        // Change of contig: close the previous contig's meta pseudo-bin.
        this.chunk(this.saveTid, META_BIN, this.offBeg, this.lastOff);
        this.chunk(this.saveTid, META_BIN, this.nMapped, 0n);
        this.nMapped = 0n;
        this.offBeg = this.lastOff;
      }
      this.saveOff = this.lastOff;
      this.saveBin = this.lastBin = bin;
      this.saveTid = tid;
    }
    this.nMapped++;
    this.lastOff = offset;
    this.lastCoor = beg;
  }

  finish(finalOffset: bigint): void {
    if (this.saveTid >= 0) {
      this.chunk(this.saveTid, this.saveBin, this.saveOff, finalOffset);
      this.chunk(this.saveTid, META_BIN, this.offBeg, finalOffset);
      this.chunk(this.saveTid, META_BIN, this.nMapped, 0n);
    }
    for (const ref of this.refs) {
      // update_loff: an empty window takes the offset of the next filled one.
      for (let l = ref.linear.length - 2; l >= 0; l--) {
        if (ref.linear[l] === UNSET_OFFSET) ref.linear[l] = ref.linear[l + 1] ?? UNSET_OFFSET;
      }
      compressBinning(ref.bins);
    }
  }

  serialize(names: readonly string[]): Buffer {
    const out = new ByteWriter();
    out.bytes(Buffer.from('TBI\x01', 'latin1'));
    out.i32(this.refs.length);
    for (const x of TBX_VCF_CONF) out.i32(x);
    const nameBytes = Buffer.concat(names.map((n) => Buffer.from(`${n}\0`, 'latin1')));
    out.i32(nameBytes.length);
    out.bytes(nameBytes);
    for (const ref of this.refs) {
      out.i32(ref.bins.size);
      for (const [bin, chunks] of ref.bins.entries()) {
        out.u32(bin);
        out.i32(chunks.length);
        for (const c of chunks) {
          out.u64(c.u);
          out.u64(c.v);
        }
      }
      out.i32(ref.linear.length);
      for (const off of ref.linear) out.u64(off);
    }
    out.u64(0n); // n_no_coor: VCF records always have a contig
    return out.toBuffer();
  }

  /** insert_to_b */
  private chunk(tid: number, bin: number, u: bigint, v: bigint): void {
    const ref = this.refs[tid];
    if (!ref) throw new InternalError('TABIX_STATE', `no index for contig #${tid}`);
    ref.bins.put(bin).push({ u, v });
  }
}

/** hts_reg2bin: the smallest bin containing [beg, end). */
function reg2bin(beg: number, end: number): number {
  end -= 1;
  let s = MIN_SHIFT;
  let t = ((1 << (3 * N_LVLS)) - 1) / 7; // first bin of the leaf level
  for (let l = N_LVLS; l > 0; l--, s += 3, t -= 1 << (3 * l)) {
    if (beg >> s === end >> s) return t + (beg >> s);
  }
  return 0;
}

const binFirst = (level: number): number => ((1 << (3 * level)) - 1) / 7;
const binParent = (bin: number): number => (bin - 1) >> 3;

/**
 * compress_binning: fold each bin whose chunks span < 64 KiB of compressed
 * file into its parent (when the parent exists), deepest level first; then
 * merge adjacent chunks that touch the same BGZF block.
 */
function compressBinning(bins: BinHash): void {
  for (let l = N_LVLS; l > 0; l--) {
    const start = binFirst(l);
    for (const [bin, list, k] of bins.entries()) {
      if (bin >= N_BINS || bin < start) continue;
      if (l < N_LVLS && list.length > 1) list.sort(byStart);
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last || (last.v >> 16n) - (first.u >> 16n) >= MIN_MARKER_DIST) continue;
      const parent = bins.get(binParent(bin));
      if (!parent) continue;
      parent.push(...list);
      bins.del(k);
    }
  }
  bins.get(0)?.sort(byStart);
  for (const [bin, list] of bins.entries()) {
    if (bin >= N_BINS) continue;
    let m = 0;
    for (let l = 1; l < list.length; l++) {
      const cur = list[m] as Chunk;
      const c = list[l] as Chunk;
      if (cur.v >> 16n >= c.u >> 16n) {
        if (cur.v < c.v) cur.v = c.v;
      } else list[++m] = c;
    }
    list.length = Math.min(list.length, m + 1);
  }
}

const byStart = (a: Chunk, b: Chunk): number => (a.u < b.u ? -1 : a.u > b.u ? 1 : 0);

const EMPTY = 2;
const DELETED = 1;
/** khash's load factor. */
const HASH_UPPER = 0.77;

/**
 * htslib's khash (KHASH_MAP_INIT_INT: identity hash, quadratic probing,
 * in-place "kick-out" rehash), ported only so that iterating the bins gives
 * htslib's order, which the .tbi bytes depend on. Flags per bucket as khash's
 * 2 bits: EMPTY, DELETED.
 */
class BinHash {
  private nBuckets = 0;
  size = 0;
  private nOccupied = 0;
  private upperBound = 0;
  private flags = new Uint8Array(0);
  private keys: number[] = [];
  private vals: Chunk[][] = [];

  /** The chunk list of `key`, created empty when absent (kh_put). */
  put(key: number): Chunk[] {
    if (this.nOccupied >= this.upperBound) {
      // Same size again when half the buckets are deleted, else grow.
      this.resize(this.nBuckets > this.size << 1 ? this.nBuckets - 1 : this.nBuckets + 1);
    }
    const mask = this.nBuckets - 1;
    let x = this.nBuckets;
    let site = this.nBuckets;
    let i = key & mask;
    if (this.isEmpty(i)) x = i;
    else {
      const last = i;
      for (let step = 1; !this.isEmpty(i) && (this.isDel(i) || this.keys[i] !== key); step++) {
        if (this.isDel(i)) site = i;
        i = (i + step) & mask;
        if (i === last) {
          x = site;
          break;
        }
      }
      if (x === this.nBuckets) x = this.isEmpty(i) && site !== this.nBuckets ? site : i;
    }
    if (this.isEmpty(x) || this.isDel(x)) {
      if (this.isEmpty(x)) this.nOccupied++;
      this.keys[x] = key;
      this.vals[x] = [];
      this.flags[x] = 0;
      this.size++;
    }
    return this.vals[x] as Chunk[];
  }

  /** kh_get */
  get(key: number): Chunk[] | undefined {
    if (!this.nBuckets) return undefined;
    const mask = this.nBuckets - 1;
    let i = key & mask;
    const last = i;
    for (let step = 1; !this.isEmpty(i) && (this.isDel(i) || this.keys[i] !== key); step++) {
      i = (i + step) & mask;
      if (i === last) return undefined;
    }
    return this.flags[i] ? undefined : this.vals[i];
  }

  /** kh_del by bucket */
  del(k: number): void {
    if (this.flags[k] === 0) {
      this.flags[k] = DELETED;
      this.size--;
    }
  }

  /** Live [key, chunks, bucket] in bucket order (kh_begin..kh_end). */
  *entries(): Generator<[number, Chunk[], number]> {
    for (let k = 0; k < this.nBuckets; k++) {
      if (this.flags[k] === 0) yield [this.keys[k] as number, this.vals[k] as Chunk[], k];
    }
  }

  private isEmpty(i: number): boolean {
    return ((this.flags[i] ?? EMPTY) & EMPTY) !== 0;
  }

  private isDel(i: number): boolean {
    return ((this.flags[i] ?? 0) & DELETED) !== 0;
  }

  /** kh_resize */
  private resize(requested: number): void {
    const n = Math.max(roundUpPow2(requested), 4);
    if (this.size >= Math.floor(n * HASH_UPPER + 0.5)) return; // requested size is too small
    const newFlags = new Uint8Array(n).fill(EMPTY);
    const mask = n - 1;
    for (let j = 0; j !== this.nBuckets; j++) {
      if (this.flags[j] !== 0) continue;
      let key = this.keys[j] as number;
      let val = this.vals[j] as Chunk[];
      this.flags[j] = (this.flags[j] ?? 0) | DELETED;
      for (;;) {
        let i = key & mask;
        for (let step = 1; !((newFlags[i] ?? 0) & EMPTY); step++) i = (i + step) & mask;
        newFlags[i] = (newFlags[i] ?? 0) & ~EMPTY;
        if (i < this.nBuckets && this.flags[i] === 0) {
          // Kick out the element still waiting in its old bucket and place it next.
          [key, this.keys[i]] = [this.keys[i] as number, key];
          [val, this.vals[i]] = [this.vals[i] as Chunk[], val];
          this.flags[i] = (this.flags[i] ?? 0) | DELETED;
        } else {
          this.keys[i] = key;
          this.vals[i] = val;
          break;
        }
      }
    }
    this.keys.length = Math.min(this.keys.length, n);
    this.vals.length = Math.min(this.vals.length, n);
    this.flags = newFlags;
    this.nBuckets = n;
    this.nOccupied = this.size;
    this.upperBound = Math.floor(n * HASH_UPPER + 0.5);
  }
}

/** kroundup32 */
function roundUpPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** Little-endian writer for the index fields. */
class ByteWriter {
  private readonly parts: Buffer[] = [];

  i32(x: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(x);
    this.parts.push(b);
  }

  u32(x: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(x);
    this.parts.push(b);
  }

  u64(x: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(x);
    this.parts.push(b);
  }

  bytes(b: Buffer): void {
    this.parts.push(b);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
