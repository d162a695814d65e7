/**
 * Every shape that crosses a boundary: orchestrator input, activity inputs and
 * outputs, stored documents. Orchestrator and activities exchange small
 * references (blob names, counts), never arrays of reads or calls.
 *
 * Coordinates: fields named `start`/`end` are 0-based half-open; fields named
 * `pos1`/`end1` are 1-based inclusive (VCF/HTTP edge only).
 */
import type { SvAnnotation } from './annotation/annotate';
import type { KaryotypeResult } from './cnv/karyotype';

export const CONTAINERS = {
  genomes: 'genomes',
  results: 'results',
} as const;

export const QUEUES = {
  genomeEvents: 'genome-events',
} as const;

export const COSMOS = {
  database: 'lag',
  samples: 'samples',
  svCalls: 'svCalls',
  /** Biologists' reviews of SVs (shared/review.ts). */
  reviews: 'reviews',
  /** Append-only audit trail of data reads and review changes (shared/audit.ts). */
  audit: 'audit',
} as const;

export const ORCHESTRATOR = 'analyzeGenome';
export const ACTIVITIES = {
  profileGenome: 'profileGenome',
  callChromosome: 'callChromosome',
  mergeCalls: 'mergeCalls',
  publishResults: 'publishResults',
  recordSampleStatus: 'recordSampleStatus',
  locateIndex: 'locateIndex',
} as const;

/** A blob pinned to the version seen when the analysis started. */
export interface BlobRef {
  container: string;
  name: string;
  etag: string;
  /** Present when the account has blob versioning on (Azure); absent on Azurite. */
  versionId?: string;
}

export interface GenomeRef {
  bam: BlobRef;
  bai: BlobRef;
}

export interface AnalysisSettings {
  /** Longest stretch of a chromosome one activity scans (bp). */
  windowSize: number;
  /** Overlap between consecutive windows so an SV on a boundary is seen whole (bp). */
  windowOverlap: number;
  includeMitochondrial: boolean;
  /** Decoys, alts, unplaced contigs. Off by default. */
  includeNonPrimary: boolean;
  retry: { firstIntervalMs: number; maxAttempts: number; backoffCoefficient: number; maxIntervalMs: number };
  /** How long to wait for `<sample>.bam.bai` after the BAM arrives before failing the sample (ms). */
  indexWaitMs: number;
  /** How often to look for the index while waiting (ms). */
  indexPollMs: number;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  // 50 Mb: a 30x window is ~10 M reads, a few minutes of scanning, well inside
  // the Flex Consumption activity timeout.
  windowSize: 50_000_000,
  // 1 Mb: longer than the deletions the per-window caller pairs up from
  // discordant reads at 30x; bigger events are the read-depth CNV caller's.
  windowOverlap: 1_000_000,
  includeMitochondrial: false,
  includeNonPrimary: false,
  retry: { firstIntervalMs: 5_000, maxAttempts: 3, backoffCoefficient: 2, maxIntervalMs: 60_000 },
  // The platform uploads BAM and BAI together; an hour covers a slow second upload.
  indexWaitMs: 60 * 60_000,
  indexPollMs: 60_000,
};

export interface AnalyzeGenomeInput {
  sampleId: string;
  /** Equal to the orchestration instance id. */
  runId: string;
  /** `bai` is null when the BAM arrived first; the orchestrator waits for it. */
  genome: { bam: BlobRef; bai: BlobRef | null };
  requestedAt: string;
  settings: AnalysisSettings;
}

/** One piece of a chromosome scanned by one activity. */
export interface WorkUnit {
  /** e.g. `chr1:0-50000000` (0-based half-open, contig as named in the BAM). */
  id: string;
  contig: string;
  /** Normalised name: `1`..`22`, `X`, `Y`, `M`. */
  chromosome: string;
  start: number;
  end: number;
  /** Calls whose start lies in [coreStart, coreEnd) belong to this unit. */
  coreStart: number;
  coreEnd: number;
}

export interface LibraryStats {
  readLength: number;
  insertSizeMedian: number;
  /** Median absolute deviation scaled to a standard deviation (x1.4826). */
  insertSizeSd: number;
  pairedFraction: number;
  /** Fraction of sampled reads that carry their sequence (SEQ is not '*'). */
  sequenceFraction: number;
  readsSampled: number;
}

export interface ContigCoverage {
  contig: string;
  chromosome: string | null;
  length: number;
  /** Mean depth estimated from the index (mapped reads x read length / length). */
  meanDepth: number;
  mappedReads: number;
}

export interface ProfileGenomeInput {
  sampleId: string;
  runId: string;
  genome: GenomeRef;
  settings: AnalysisSettings;
}

export interface ProfileGenomeOutput {
  /** Blob (results container) with the full GenomeProfile JSON. */
  profileBlob: string;
  build: string | null;
  /** Copy-number screen from the index alone; null when the build is unknown. */
  prescreen: KaryotypeResult | null;
  library: LibraryStats;
  units: WorkUnit[];
  chromosomes: string[];
  warnings: string[];
}

export interface GenomeProfile {
  sampleId: string;
  build: string | null;
  naming: 'chr' | 'plain' | 'mixed';
  headerText: string;
  contigs: { name: string; length: number }[];
  coverage: ContigCoverage[];
  library: LibraryStats;
  prescreen: KaryotypeResult | null;
  warnings: string[];
}

export interface CallChromosomeInput {
  sampleId: string;
  runId: string;
  genome: GenomeRef;
  unit: WorkUnit;
  profileBlob: string;
}

export interface CallChromosomeOutput {
  unitId: string;
  callsBlob: string;
  calls: number;
  readsScanned: number;
  warnings: string[];
}

export interface MergeCallsInput {
  sampleId: string;
  runId: string;
  callsBlobs: string[];
}

export interface MergeCallsOutput {
  mergedBlob: string;
  total: number;
  countsByType: Record<string, number>;
}

export interface PublishResultsInput {
  sampleId: string;
  runId: string;
  genome: GenomeRef;
  profileBlob: string;
  mergedBlob: string;
  startedAt: string;
  warnings: string[];
}

export interface PublishResultsOutput {
  vcfBlob: string;
  calls: number;
}

export type SampleStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface RecordSampleStatusInput {
  sampleId: string;
  runId: string;
  status: SampleStatus;
  stage: string;
  error?: { code: string; message: string };
  warnings?: string[];
  library?: LibraryStats;
  build?: string | null;
  /** Work units planned (set when calling starts). */
  unitsTotal?: number;
  prescreen?: KaryotypeResult | null;
}

export type SvType = 'DEL' | 'DUP' | 'INV' | 'INS' | 'BND' | 'CNV';

/** One structural variant as the caller and the stores see it. */
/**
 * What a call rests on, beyond its PE/SR counts: for the biologist's review
 * and as the ML scorer's input (shared/scoring/features.ts documents each
 * feature and its unit).
 */
export interface SvEvidence {
  /** Reads supporting the variant at its breakpoints (split, clipped or indel reads; pairs when there are none). */
  altReads: number;
  /** Reads (or, for pair-only calls, fragments) spanning the breakpoints as the reference says. */
  refReads: number;
  /** Soft-clipped reads at the breakpoints, both sides. */
  clipReads: number;
  /** Mean mapping quality of the split/indel reads (the lower of each read's parts), null when none. */
  splitMapq: number | null;
  /** Mean edit distance (NM) of the split reads' other parts, null when none. */
  splitNm: number | null;
  /** Fraction of the supporting reads on the forward strand, null when none. */
  forwardFraction: number | null;
  /** Mean mapping quality of the discordant pairs' local reads, null when none. */
  pairMapq: number | null;
  /** Mean base quality (Phred) of the clipped bases at the breakpoints, null when none. */
  clipQuality: number | null;
  /** GC fraction and sequence complexity (distinct 3-mers / possible) of the aligned flanks next to the clips, null when none. */
  flankGc: number | null;
  flankComplexity: number | null;
  /** Other candidates of the unit within 1 kb. */
  nearby: number;
  /** log10 likelihood of the best non-reference genotype over 0/0. */
  genotypeLogRatio: number;
  /**
   * Typical depth of the work unit in x (median read starts per 100 bp bin times the read length; the
   * index's mean depth when no bin holds a read): the scale of the read counts.
   */
  contigDepth?: number;
  /**
   * DEL/DUP with depth measured: log10 likelihood ratio of the claimed copy change over two copies, from read
   * starts inside vs flanks (for an event under a whole 100 bp bin, from the bins it touches: weak by nature).
   */
  depthLogRatio?: number;
  /**
   * DEL/DUP with depth measured over whole 100 bp bins: log10 likelihood of the read starts at their own rate
   * over the better whole copy number around it (Poisson, at most 99): how surely the depth lies between whole
   * copy numbers, as a change in part of the cells (a mosaic) puts it. 0 at a whole copy number.
   */
  depthBetweenCopiesLogRatio?: number;
}

export interface SvCall {
  /** Deterministic: the same call from a retried activity has the same id. */
  id: string;
  chrom: string;
  /** 0-based start of the event (the base after the left breakpoint). */
  start: number;
  /** 0-based exclusive end. For BND, equal to start + 1. */
  end: number;
  type: SvType;
  /** Positive length in bp (0 for BND). */
  svlen: number;
  /**
   * INS only: `svlen` is a lower bound. The inserted sequence is longer than
   * its reads could assemble (and than the read pairs can measure), so the
   * insertion is "at least" this long. VCF: INFO/SVLEN_LOWER_BOUND.
   */
  svlenAtLeast?: boolean;
  ciPos: [number, number];
  ciEnd: [number, number];
  precise: boolean;
  genotype: '0/1' | '1/1' | './.';
  genotypeQuality: number;
  /** Discordant pairs supporting the event. */
  pairedEnd: number;
  /** Split reads supporting the event. */
  splitReads: number;
  /** Depth inside / depth of flanks (like duphold DHFFC); null when not measured. */
  depthFoldChange: number | null;
  copyNumber: number | null;
  /**
   * In [0,1]. Before ML scoring, the caller's own support score; after it
   * (modelVersion set), the model's calibrated probability that the call is real.
   */
  score: number;
  /** The SV scorer that set `score` and FILTER (model/sv-scorer.json version). */
  modelVersion?: string;
  /**
   * False when the genome (depth, read evidence) or the kind of call (a
   * depth-only change, or a type the model saw too few of: imprecise
   * inversions today) lies outside what the model was trained on
   * (shared/scoring/domain.ts): the score is shown, the FILTER stays the
   * caller's.
   */
  modelApplied?: boolean;
  /**
   * Why the model did not judge the call (modelApplied false): 'genome' (the work unit is outside its
   * domain: depth, split-read tags, uneven depth), 'depthOnly' (a copy-number change seen by depth alone),
   * 'betweenCopies' (depth between whole copy numbers, as a mosaic's), 'fewExamples' (a kind of call it
   * learnt from too few examples).
   */
  modelNotAppliedReason?: 'genome' | 'depthOnly' | 'betweenCopies' | 'fewExamples';
  /** The caller's own FILTER before the model's (PASS, LowSupport, NoDepthDrop, ...). */
  callerFilter?: string;
  filter: 'PASS' | string;
  /** For BND: the mate's chromosome and 0-based position, and the mate's id. */
  mate?: { chrom: string; pos: number; id: string };
  /**
   * For BND: which side of each junction the joined pieces lie on, as read
   * strands (LUMPY/DELLY STRANDS): first the local reads, then the mate's.
   * '+' = the piece lies left of its junction (reads forward), '-' = right.
   * VCF: '+-' t[p[, '++' t]p], '-+' ]p]t, '--' [p[t.
   */
  strands?: '+-' | '++' | '-+' | '--';
  /**
   * Breakends that form one rearrangement share an event (VCF INFO/EVENT,
   * EVENTTYPE): a reciprocal (balanced) translocation has a junction on each
   * derivative chromosome; an unbalanced one, a single junction.
   */
  event?: { id: string; type: 'reciprocal-translocation' | 'unbalanced-translocation' };
  /** The evidence behind the call (absent in results written before it existed). */
  evidence?: SvEvidence;
  /** Genes, cytobands and ISCN description (shared/annotation/annotate.ts), set when the results are published. */
  annotation?: SvAnnotation;
}

export interface SampleDocument {
  id: string;
  sampleId: string;
  runId: string;
  /** Incremented by every write of the record; the Cosmos projection never goes back to a lower one. */
  revision: number;
  status: SampleStatus;
  stage: string;
  progress: { done: number; total: number };
  genome: { bam: BlobRef; bai: BlobRef | null };
  build: string | null;
  library: LibraryStats | null;
  /** Index-only copy-number screen (aneuploidies, sex chromosomes), shown while the scan runs. */
  prescreen: KaryotypeResult | null;
  countsByType: Record<string, number>;
  totalCalls: number;
  warnings: string[];
  error: { code: string; message: string } | null;
  timings: { queuedAt: string; startedAt: string | null; finishedAt: string | null; seconds: number | null };
  results: { vcf: string; tbi: string; calls: string } | null;
  updatedAt: string;
}

export interface LocateIndexInput {
  bam: BlobRef;
}

export interface SvDocument extends SvCall {
  /** Cosmos id: `${runId}:${call.id}`; the call's own id is kept as `callId`. */
  callId: string;
  sampleId: string;
  runId: string;
  chromosome: string;
  /** 1-based, for the HTTP edge. */
  pos1: number;
  end1: number;
  /** Genome order (chromosome rank, then start) for listing. */
  sortKey: number;
}
