/**
 * Where the SV scorer may judge. The model learnt from simulated whole
 * genomes at 15-45x whose split reads carry SA tags (bwa mem). On a genome
 * outside that, its features do not mean what they meant in training: on a
 * BAM cut to target regions the contig depth from the index is far below
 * the reads' real depth, and on a BAM without SA tags (older aligners) every
 * junction looks like one with no split read, which the model learnt to
 * distrust. There the model's probability is still computed and shown, but
 * the caller's own FILTER stands, and the run says why ("could not assess"
 * rather than a confident wrong answer).
 */
import type { SvCall } from '../contracts';

/** Written by training into sv-scorer.json. */
export interface ModelDomain {
  /** Contig mean depth (from the index) the model may judge, in x. */
  minDepth: number;
  maxDepth: number;
  /** The training BAMs had SA tags: a genome without any is outside. */
  needsSplitReads: boolean;
}

/** A work unit that has scanned this many reads without one SA tag has none to show. */
export const SPLIT_TAG_MIN_READS = 20_000;

export interface UnitEvidence {
  /** Mean depth of the unit's contig, from the index. */
  meanDepth: number;
  readsScanned: number;
  /** Reads with an SA tag the caller used. */
  splitReads: number;
}

/** Null when the model may judge the unit, else the reason it may not. */
export function outsideDomain(domain: ModelDomain | undefined, unit: UnitEvidence): string | null {
  if (!domain) return null;
  if (unit.meanDepth < domain.minDepth || unit.meanDepth > domain.maxDepth) {
    return `the contig's depth (${unit.meanDepth.toFixed(1)}x from the index) is outside the ${domain.minDepth}-${domain.maxDepth}x the SV scorer was trained for (a BAM cut to target regions, or low-pass data)`;
  }
  if (domain.needsSplitReads && unit.readsScanned >= SPLIT_TAG_MIN_READS && unit.splitReads === 0) {
    return `none of ${unit.readsScanned} reads carries an SA tag (split reads), unlike the BAMs the SV scorer was trained on (an older aligner?)`;
  }
  return null;
}

/**
 * Calls the model never learnt to judge, whatever the genome: copy-number
 * changes seen by depth alone (SVCLAIM D: no pair, no split read). Its
 * training genomes gave it two such candidates, both false. On the held-out
 * sets it withdrew true ones (seed 51's 191 kb duplication at P 0.46, seed
 * 48's 240 kb one at 0.19), and large CNVs whose breakpoints lie in repeats
 * (the recurrent, segmental-duplication-mediated ones) are what a
 * cytogenomics lab looks for. So their probability is shown, and the
 * caller's own FILTER (segment likelihood, LowMappability, UnevenDepth)
 * stands.
 */
export function outsideTraining(call: Pick<SvCall, 'type' | 'pairedEnd' | 'splitReads' | 'depthFoldChange'>): boolean {
  return (call.type === 'DEL' || call.type === 'DUP' || call.type === 'CNV') && call.pairedEnd + call.splitReads === 0 && call.depthFoldChange !== null;
}
