/**
 * What the fast scanner needs to read a BAM by region: its file handle and
 * size, its parsed BAI, and the reference ids of its contigs. Built either
 * from the two file handles or, for code that already holds an opened
 * @gmod/bam BamFile (openAlignment), from that BamFile — parsed once and
 * cached on it, so scanning many regions reads the index once.
 */
import type { BamFile } from '@gmod/bam';
import type { GenericFilehandle } from 'generic-filehandle2';
import { InputError } from '../errors';
import { BaiFormatError, BaiIndex } from './baiIndex';
import { readHeaderText } from './open';
import type { LeanRecord } from './record';

export interface IndexedBam {
  /** How the BAM is named in messages. */
  readonly name: string;
  readonly file: GenericFilehandle;
  /** Compressed size in bytes. */
  readonly fileSize: number;
  readonly index: BaiIndex;
  /** Contig name (as in the BAM header) to reference id. */
  readonly refIds: ReadonlyMap<string, number>;
}

/**
 * Reads the whole BAI in one request (a 30x genome's is ~10 MB) and parses
 * it; `contigs` are the BAM header's reference names in order.
 */
export async function openIndexedBam(args: {
  bam: GenericFilehandle;
  bai: GenericFilehandle;
  names: { bam: string; bai: string };
  contigs: readonly string[];
}): Promise<IndexedBam> {
  const { bam, bai, names, contigs } = args;
  const [{ size }, baiBytes] = await Promise.all([bam.stat(), bai.readFile()]);
  let index: BaiIndex;
  try {
    index = BaiIndex.parse(baiBytes);
  } catch (e) {
    if (!(e instanceof BaiFormatError)) throw e;
    throw new InputError(
      'BAI_INVALID',
      `${names.bai} is not a valid BAM index (${e.message}): recreate it with samtools index ${names.bam} and upload ${names.bai} again`,
      { cause: e },
    );
  }
  if (index.referenceCount !== contigs.length) {
    throw new InputError(
      'BAI_MISMATCH',
      `${names.bai} does not belong to ${names.bam} (the index lists ${index.referenceCount} reference sequences, the BAM ${contigs.length}): recreate it with samtools index ${names.bam}`,
    );
  }
  return { name: names.bam, file: bam, fileSize: size, index, refIds: new Map(contigs.map((c, i) => [c, i])) };
}

const cache = new WeakMap<BamFile<LeanRecord>, Promise<IndexedBam>>();

/**
 * The IndexedBam of a BamFile opened with a BAI file handle (as
 * openAlignment does), parsed on first use and cached for the BamFile's life.
 */
export function indexedBamOf(bam: BamFile<LeanRecord>, bamName: string): Promise<IndexedBam> {
  let opened = cache.get(bam);
  if (!opened) {
    opened = (async () => {
      if (!bam.index) {
        throw new InputError('BAI_MISSING', `${bamName} was opened without an index: upload ${bamName}.bai (samtools index ${bamName})`);
      }
      if (!bam.indexToChr) await readHeaderText(bam, bamName);
      const contigs = (bam.indexToChr ?? []).map((c) => c.refName);
      return openIndexedBam({ bam: bam.bam, bai: bam.index.filehandle, names: { bam: bamName, bai: `${bamName}.bai` }, contigs });
    })();
    // A failed open is not cached: the next scan tries again (a flaky read may succeed).
    opened.catch(() => cache.delete(bam));
    cache.set(bam, opened);
  }
  return opened;
}
