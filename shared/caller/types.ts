/**
 * The interface every SV caller in LAG implements. A caller is fed the
 * records of one work unit in coordinate order, keeps only its evidence (never
 * the reads), and returns calls whose start lies in the unit's core.
 */
import type { LibraryStats, SvCall, WorkUnit } from '../contracts';

export interface CallerContext {
  unit: WorkUnit;
  library: LibraryStats;
  /** Mean depth of this contig from the index, for thresholds. */
  expectedDepth: number;
  /** Contig names in BAM header order (reads name their mate's contig by index). */
  contigNames: readonly string[];
}

export interface CallerResult {
  calls: SvCall[];
  warnings: string[];
  /** Evidence counts, for progress and the sample's statistics. */
  stats: Record<string, number>;
}

/** The fields of an alignment record the evidence code reads (0-based, half-open). */
export interface ReadView {
  readonly ref_id: number;
  readonly start: number;
  readonly end: number;
  readonly flags: number;
  readonly mapq: number;
  readonly next_refid: number;
  readonly next_pos: number;
  readonly tlen: number;
  readonly seqLength: number;
}

/** A record with its alignment details (BamRecordCursor has them, decoded lazily). */
export interface AlignedReadView extends ReadView {
  readonly cigarLength: number;
  /** Packed CIGAR op `i`: length `op >>> 4`, code `op & 0xf`. */
  cigarOp(i: number): number;
  /** The SA tag (split read parts), if any. */
  readonly sa: string | undefined;
  /** SEQ, decoded on each call ('' when the record has none). */
  sequence(): string;
  /** C/G bases in SEQ (0 when the record has none). */
  gcCount(): number;
  /** Base qualities (Phred), all 0xff when the record has none. */
  qualities(): Uint8Array;
}

export interface SvCaller<R extends ReadView = ReadView> {
  readonly name: string;
  readonly version: string;
  /** Called once per record in coordinate order; the record may be reused after the call returns. */
  observe(record: R): void;
  finish(): CallerResult;
}

export type CallerFactory = (context: CallerContext) => SvCaller<AlignedReadView>;
