/**
 * Opens a BAM and its BAI through any GenericFilehandle (a local file in
 * tests, a byte-range view of a blob in Azure) and checks what a biologist
 * can get wrong before any scanning starts. Each failure is an InputError
 * whose message says what is wrong and what to upload instead.
 */
import { BamFile } from '@gmod/bam';
import type { GenericFilehandle } from 'generic-filehandle2';
import { InputError, isLagError } from '../errors';
import { LeanRecord } from './record';

/** BGZF member header: gzip magic, CM=8 (deflate), FLG=4 (FEXTRA) — SAM spec §4.1. */
const BGZF_MAGIC = [0x1f, 0x8b, 0x08, 0x04];
/** The 28-byte empty BGZF block every complete BAM ends with (SAM spec §4.1.2). */
export const BGZF_EOF = Uint8Array.from([
  0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00, 0x1b, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
]);
/** "BAI\1" little-endian. */
const BAI_MAGIC = [0x42, 0x41, 0x49, 0x01];

export interface AlignmentHeader {
  text: string;
  contigs: { name: string; length: number }[];
  sortOrder: string | null;
  readGroups: { id: string; sample: string | null }[];
  programs: string[];
}

export interface OpenedAlignment {
  bam: BamFile<LeanRecord>;
  header: AlignmentHeader;
  /** Non-fatal findings worth showing the biologist. */
  warnings: string[];
  names: { bam: string; bai: string };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export async function openAlignment(
  bamHandle: GenericFilehandle,
  baiHandle: GenericFilehandle,
  names: { bam: string; bai: string },
): Promise<OpenedAlignment> {
  const { bam: bamName, bai: baiName } = names;
  const warnings: string[] = [];
  const { size } = await bamHandle.stat();
  if (size === 0) {
    throw new InputError('BAM_EMPTY', `${bamName} is empty (0 bytes): the upload did not finish; upload the complete BAM again`);
  }
  const head = await bamHandle.read(Math.min(size, 18), 0);
  if (!startsWith(head, BGZF_MAGIC)) {
    throw new InputError(
      'BAM_NOT_BAM',
      `${bamName} is not a BAM file (it does not start with the BGZF signature of a BAM): upload an aligned, coordinate-sorted BAM (samtools sort -o ${bamName} input.sam; samtools index ${bamName})`,
    );
  }
  const tail = size >= BGZF_EOF.length ? await bamHandle.read(BGZF_EOF.length, size - BGZF_EOF.length) : new Uint8Array();
  if (tail.length !== BGZF_EOF.length || !BGZF_EOF.every((b, i) => tail[i] === b)) {
    throw new InputError(
      'BAM_TRUNCATED',
      `${bamName} is truncated (it lacks the end-of-file marker every complete BAM has; ${size} bytes received): the upload or the copy was cut short; upload the complete file again (samtools quickcheck ${bamName} checks it)`,
    );
  }

  const { size: baiSize } = await baiHandle.stat();
  const baiHead = baiSize >= 4 ? await baiHandle.read(4, 0) : new Uint8Array();
  if (!startsWith(baiHead, BAI_MAGIC)) {
    throw new InputError(
      'BAI_INVALID',
      `${baiName} is not a BAM index (BAI): recreate it with samtools index ${bamName} and upload ${baiName} again`,
    );
  }

  const bam = new BamFile<LeanRecord>({ bamFilehandle: bamHandle, baiFilehandle: baiHandle, recordClass: LeanRecord });
  const text = await readHeaderText(bam, bamName);
  const contigs = (bam.indexToChr ?? []).map((c) => ({ name: c.refName, length: c.length }));
  const header = parseHeader(text, contigs);

  if (header.sortOrder !== null && header.sortOrder !== 'coordinate') {
    throw new InputError(
      'BAM_UNSORTED',
      `${bamName} is sorted by ${header.sortOrder}, not by coordinate (its header says SO:${header.sortOrder}): sort it (samtools sort -o ${bamName} ${bamName}), index it (samtools index ${bamName}) and upload both files again`,
    );
  }
  if (header.sortOrder === null) {
    warnings.push(`${bamName} does not declare its sort order (no @HD SO:coordinate); it is assumed coordinate-sorted because it has an index`);
  }
  if (contigs.length === 0) {
    throw new InputError('BAM_NO_CONTIGS', `${bamName} has no reference sequences in its header: upload a BAM aligned to a reference genome`);
  }
  const indexRefs = await countIndexReferences(baiHandle);
  if (indexRefs !== contigs.length) {
    throw new InputError(
      'BAI_MISMATCH',
      `${baiName} does not belong to ${bamName} (the index lists ${indexRefs} reference sequences, the BAM ${contigs.length}): recreate it with samtools index ${bamName}`,
    );
  }
  if (header.readGroups.length === 0) {
    warnings.push(`${bamName} has no read groups (@RG): the sample name is taken from the file name`);
  }
  return { bam, header, warnings, names };
}

/**
 * The BAM's header text (which also loads its reference sequences); a file
 * the library cannot parse is a BAM_CORRUPT InputError naming the file.
 */
export async function readHeaderText(bam: BamFile<LeanRecord>, bamName: string): Promise<string> {
  try {
    return (await bam.getHeaderText()) ?? '';
  } catch (e) {
    if (isLagError(e)) throw e;
    throw new InputError(
      'BAM_CORRUPT',
      `${bamName} could not be read (${e instanceof Error ? e.message : String(e)}): the file is damaged or not a BAM; upload it again (samtools quickcheck ${bamName} checks it)`,
      { cause: e },
    );
  }
}

async function countIndexReferences(bai: GenericFilehandle): Promise<number> {
  const b = await bai.read(8, 0);
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(4, true);
}

export function parseHeader(text: string, contigs: { name: string; length: number }[]): AlignmentHeader {
  let sortOrder: string | null = null;
  const readGroups: AlignmentHeader['readGroups'] = [];
  const programs: string[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const tag = fields[0];
    const get = (key: string): string | null => {
      const f = fields.find((x) => x.startsWith(`${key}:`));
      return f === undefined ? null : f.slice(key.length + 1);
    };
    if (tag === '@HD') sortOrder = get('SO');
    else if (tag === '@RG') readGroups.push({ id: get('ID') ?? '', sample: get('SM') });
    else if (tag === '@PG') programs.push(get('ID') ?? '');
  }
  return { text, contigs, sortOrder, readGroups, programs };
}
