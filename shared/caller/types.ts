/**
 * The interface every SV caller in LAG implements. A caller is fed the
 * records of one work unit in coordinate order, keeps only its evidence (never
 * the reads), and returns calls whose start lies in the unit's core.
 */
import type { LibraryStats, SvCall, WorkUnit } from '../contracts';
import type { LeanRecord } from '../bam/record';

export interface CallerContext {
  unit: WorkUnit;
  library: LibraryStats;
  /** Mean depth of this contig from the index, for thresholds. */
  expectedDepth: number;
}

export interface CallerResult {
  calls: SvCall[];
  warnings: string[];
  /** Evidence counts, for progress and the sample's statistics. */
  stats: Record<string, number>;
}

export interface SvCaller {
  readonly name: string;
  readonly version: string;
  observe(record: LeanRecord): void;
  finish(): CallerResult;
}

export type CallerFactory = (context: CallerContext) => SvCaller;
