/**
 * Annotation of structural variants for cytogeneticists: the genes an SV
 * overlaps (and how), the cytobands it lies in, and an ISCN 2020 sequence-based
 * description with its HGVS genomic part, e.g.
 *
 *   seq[GRCh38] del(7)(q11.23q11.23) NC_000007.14:g.72744455_74142513del
 *
 * Tables: shared/annotation/data/ (made by scripts/make-annotation.sh; sources,
 * licences and what was kept in data/README.md; method and limits in
 * docs/annotation.md). They are read with node:fs at first use, per build,
 * and cached. Pure: no Azure, no network.
 *
 * Coordinates follow SvCall: 0-based, half-open. HGVS positions are 1-based.
 * When the build is unknown, the chromosome is not in the tables or the call
 * lies outside its chromosome, the annotation is empty with `assessed: false`
 * and a `note` saying why: it never guesses.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { SvCall } from '../contracts';
import { normaliseChromosome } from '../genome/contigs';
import { findPackageRoot } from '../packageRoot';
import { lowerBound, upperBound } from '../sorted';

export type AnnotationBuild = 'GRCh37' | 'GRCh38';
export const ANNOTATION_BUILDS: readonly AnnotationBuild[] = ['GRCh37', 'GRCh38'];

/**
 * How a gene relates to an SV.
 * - `contained`: DEL/DUP/CNV: the whole gene lies inside the event (its dosage changes).
 * - `disrupted`: a breakpoint of the event falls inside the gene: DEL/DUP/CNV/INV ends,
 *   the INS insertion point, either BND breakend (local or mate). An event wholly inside
 *   one gene (an intragenic deletion) disrupts it at both ends.
 * - `inverted`: INV: the whole gene lies inside the inverted segment (orientation changes,
 *   dosage does not; position effects are possible but not assessed).
 */
export type GeneRelation = 'contained' | 'disrupted' | 'inverted';

/** Which breakpoint of the SV lies inside a disrupted gene: the left one (also the
 * INS insertion point and the local BND breakend), the right one, or the BND mate. */
export type BreakpointSide = 'start' | 'end' | 'mate';

/** A gene of the shipped tables (0-based, half-open; chromosome `1`..`22`, `X`, `Y`). */
export interface GeneRecord {
  chrom: string;
  start: number;
  end: number;
  symbol: string;
  /** Ensembl gene id (GRCh38 table); null in the GRCh37 table, which has symbols only. */
  ensemblId: string | null;
  /**
   * The symbol is in CNVkit's exome target list: a proxy for "protein-coding" (the
   * sources carry no biotype). False for most pseudogenes, miRNAs and lncRNAs.
   */
  exomeTargeted: boolean;
}

export interface GeneHit extends GeneRecord {
  relation: GeneRelation;
  /** For `disrupted`, the breakpoint(s) inside the gene; empty otherwise. */
  breakpoints: BreakpointSide[];
}

/**
 * What the gene spans mean: whole Ensembl genes (GRCh38), or first..last targeted
 * coding exon from an exome target list (GRCh37: UTRs and untargeted ends missing,
 * so a gene may be called `contained` when its UTR sticks out of the event).
 */
export type GeneModel = 'ensembl-gene' | 'exome-coding-span';

export interface SvAnnotation {
  /** False when the call could not be assessed (see `note`); then everything else is empty. */
  assessed: boolean;
  build: AnnotationBuild | null;
  geneModel: GeneModel | null;
  /** Overlapped genes in genome order (local chromosome, then the BND mate's). */
  genes: GeneHit[];
  /**
   * Cytobands, chromosome-prefixed (`7q11.23`): every band the event overlaps for
   * DEL/DUP/CNV/INV; the band at the insertion point for INS; the band of each
   * breakend for BND (local first, then the mate).
   */
  cytobands: string[];
  /** ISCN 2020 sequence-based short form, e.g. `seq[GRCh38] del(7)(q11.23q11.23)`; null when none applies. */
  karyotype: string | null;
  /** HGVS genomic description on the RefSeq chromosome, e.g. `NC_000007.14:g.72744455_74142513del`. */
  hgvs: string | null;
  /** `karyotype` and `hgvs` joined by a space (either alone when the other is null). */
  iscn: string | null;
  /** Why the call was not assessed, or caveats about the description; null when none. */
  note: string | null;
}

/**
 * RefSeq accessions of the GRCh37 (GRCh37.p13, GCF_000001405.25) and GRCh38
 * (GRCh38.p14, GCF_000001405.40) primary chromosomes, from the NCBI assembly
 * reports (the version differs between builds; X is NC_000023, Y NC_000024).
 * Cross-checked against IGV's hg19 alias table and the UCSC hg38 chromAlias.
 */
const REFSEQ: Readonly<Record<AnnotationBuild, Readonly<Record<string, string>>>> = {
  GRCh37: {
    '1': 'NC_000001.10', '2': 'NC_000002.11', '3': 'NC_000003.11', '4': 'NC_000004.11', '5': 'NC_000005.9',
    '6': 'NC_000006.11', '7': 'NC_000007.13', '8': 'NC_000008.10', '9': 'NC_000009.11', '10': 'NC_000010.10',
    '11': 'NC_000011.9', '12': 'NC_000012.11', '13': 'NC_000013.10', '14': 'NC_000014.8', '15': 'NC_000015.9',
    '16': 'NC_000016.9', '17': 'NC_000017.10', '18': 'NC_000018.9', '19': 'NC_000019.9', '20': 'NC_000020.10',
    '21': 'NC_000021.8', '22': 'NC_000022.10', X: 'NC_000023.10', Y: 'NC_000024.9',
  },
  GRCh38: {
    '1': 'NC_000001.11', '2': 'NC_000002.12', '3': 'NC_000003.12', '4': 'NC_000004.12', '5': 'NC_000005.10',
    '6': 'NC_000006.12', '7': 'NC_000007.14', '8': 'NC_000008.11', '9': 'NC_000009.12', '10': 'NC_000010.11',
    '11': 'NC_000011.10', '12': 'NC_000012.12', '13': 'NC_000013.11', '14': 'NC_000014.9', '15': 'NC_000015.10',
    '16': 'NC_000016.10', '17': 'NC_000017.11', '18': 'NC_000018.10', '19': 'NC_000019.10', '20': 'NC_000020.11',
    '21': 'NC_000021.9', '22': 'NC_000022.11', X: 'NC_000023.11', Y: 'NC_000024.10',
  },
};

/** The RefSeq accession of a chromosome (`7`, `chr7`, `X`) in a build, or null. */
export function refSeqAccession(build: AnnotationBuild, chrom: string): string | null {
  const c = normaliseChromosome(chrom);
  return c === null ? null : REFSEQ[build][c] ?? null;
}

// ---------------------------------------------------------------- tables

interface BandIndex {
  starts: number[];
  ends: number[];
  names: string[];
  stains: string[];
  length: number;
  /** The centromere: union of the two `acen` bands. */
  cen: [number, number] | null;
}

interface GeneIndex {
  /** Sorted by start; `maxEnd[i]` = max end of genes 0..i, to stop the backward scan. */
  genes: GeneRecord[];
  starts: number[];
  maxEnd: number[];
}

interface BuildTables {
  bands: Map<string, BandIndex>;
  genes: Map<string, GeneIndex>;
}

/** The folder with the shipped tables (LAG_ANNOTATION_DIR overrides): shared/annotation/data at the package root, from source or dist/. */
export function annotationDataDir(): string {
  const override = process.env.LAG_ANNOTATION_DIR;
  if (override) return override;
  const root = findPackageRoot(__dirname);
  return root === null ? path.resolve(__dirname, 'data') : path.join(root, 'shared', 'annotation', 'data');
}

const cache = new Map<AnnotationBuild, BuildTables>();

function rows(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    out.push(line.split('\t'));
  }
  return out;
}

function int(s: string | undefined, what: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`annotation table: bad ${what} ${JSON.stringify(s)}`);
  return n;
}

function loadTables(build: AnnotationBuild): BuildTables {
  const hit = cache.get(build);
  if (hit) return hit;
  const dir = annotationDataDir();
  const bands = new Map<string, BandIndex>();
  for (const r of rows(fs.readFileSync(path.join(dir, `cytobands-${build}.tsv`), 'utf8'))) {
    const [chrom = '', s, e, name = '', stain = ''] = r;
    let b = bands.get(chrom);
    if (!b) bands.set(chrom, (b = { starts: [], ends: [], names: [], stains: [], length: 0, cen: null }));
    const start = int(s, 'band start');
    const end = int(e, 'band end');
    b.starts.push(start);
    b.ends.push(end);
    b.names.push(name);
    b.stains.push(stain);
    b.length = Math.max(b.length, end);
    if (stain === 'acen') b.cen = b.cen ? [Math.min(b.cen[0], start), Math.max(b.cen[1], end)] : [start, end];
  }
  const genes = new Map<string, GeneIndex>();
  const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, `genes-${build}.tsv.gz`))).toString('utf8');
  for (const r of rows(text)) {
    const [chrom = '', s, e, symbol = '', id = '.', targeted] = r;
    let g = genes.get(chrom);
    if (!g) genes.set(chrom, (g = { genes: [], starts: [], maxEnd: [] }));
    g.genes.push({ chrom, start: int(s, 'gene start'), end: int(e, 'gene end'), symbol, ensemblId: id === '.' ? null : id, exomeTargeted: targeted === '1' });
  }
  for (const g of genes.values()) {
    g.genes.sort((a, b) => a.start - b.start || a.end - b.end || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    let max = 0;
    for (const x of g.genes) {
      g.starts.push(x.start);
      max = Math.max(max, x.end);
      g.maxEnd.push(max);
    }
  }
  for (const b of bands.values()) {
    const order = b.starts.map((_, i) => i).sort((i, j) => b.starts[i]! - b.starts[j]!);
    b.starts = order.map((i) => b.starts[i]!);
    b.ends = order.map((i) => b.ends[i]!);
    b.names = order.map((i) => b.names[i]!);
    b.stains = order.map((i) => b.stains[i]!);
  }
  const tables = { bands, genes };
  cache.set(build, tables);
  return tables;
}

function bandIndexAt(b: BandIndex, pos: number): number | null {
  const i = upperBound(b.starts, pos) - 1;
  return i >= 0 && pos < b.ends[i]! ? i : null;
}

/** The cytoband holding 0-based position `pos`, chromosome-prefixed (`7q11.23`), or null. */
export function cytobandAt(build: AnnotationBuild, chrom: string, pos: number): string | null {
  const c = normaliseChromosome(chrom);
  const b = c === null ? undefined : loadTables(build).bands.get(c);
  if (!b) return null;
  const i = bandIndexAt(b, pos);
  return i === null ? null : `${c}${b.names[i]}`;
}

/** The cytobands overlapping [start, end), in order, chromosome-prefixed. */
export function cytobandsOverlapping(build: AnnotationBuild, chrom: string, start: number, end: number): string[] {
  const c = normaliseChromosome(chrom);
  const b = c === null ? undefined : loadTables(build).bands.get(c);
  if (!b || end <= start) return [];
  const out: string[] = [];
  for (let i = Math.max(0, upperBound(b.starts, start) - 1); i < b.starts.length && b.starts[i]! < end; i++) {
    if (b.ends[i]! > start) out.push(`${c}${b.names[i]}`);
  }
  return out;
}

/** The genes overlapping [start, end) (at least one base in common), sorted by start. */
export function genesOverlapping(build: AnnotationBuild, chrom: string, start: number, end: number): GeneRecord[] {
  const c = normaliseChromosome(chrom);
  const g = c === null ? undefined : loadTables(build).genes.get(c);
  if (!g || end <= start) return [];
  const out: GeneRecord[] = [];
  // Genes starting before `end`, scanned backwards while some earlier gene may still reach `start`.
  for (let i = lowerBound(g.starts, end) - 1; i >= 0 && g.maxEnd[i]! > start; i--) {
    const x = g.genes[i]!;
    if (x.end > start) out.push(x);
  }
  return out.reverse();
}

/** Chromosome length in a build (the end of its last cytoband), or null. */
export function chromosomeLength(build: AnnotationBuild, chrom: string): number | null {
  const c = normaliseChromosome(chrom);
  return (c === null ? undefined : loadTables(build).bands.get(c))?.length ?? null;
}

// ---------------------------------------------------------------- annotation

function empty(build: AnnotationBuild | null, note: string): SvAnnotation {
  return { assessed: false, build, geneModel: null, genes: [], cytobands: [], karyotype: null, hgvs: null, iscn: null, note };
}

function asBuild(build: string | null | undefined): AnnotationBuild | null {
  return build === 'GRCh37' || build === 'GRCh38' ? build : null;
}

/** A chromosome with tables in this build, or a reason why not. */
function resolveChrom(build: AnnotationBuild, contig: string): { chrom: string; bands: BandIndex } | string {
  const chrom = normaliseChromosome(contig);
  if (chrom === null || chrom === 'M') return `chromosome ${contig} is not in the ${build} gene and cytoband tables (1-22, X, Y only)`;
  const bands = loadTables(build).bands.get(chrom);
  if (!bands) return `chromosome ${contig} is not in the ${build} cytoband table`;
  return { chrom, bands };
}

/** ISCN order: sex chromosomes first (X, Y), then autosomes 1..22 (ISCN 2020). */
function iscnRank(chrom: string): number {
  if (chrom === 'X') return 0;
  if (chrom === 'Y') return 1;
  return 1 + Number(chrom);
}

/** HGVS position, with the confidence interval as an uncertain range `(a_b)` when non-zero. */
function hgvsPos(pos1: number, ci: readonly [number, number]): string {
  if (ci[0] === 0 && ci[1] === 0) return String(pos1);
  return `(${Math.max(1, pos1 + Math.min(0, ci[0]))}_${pos1 + Math.max(0, ci[1])})`;
}

function bandName(b: BandIndex, pos: number): string {
  const i = bandIndexAt(b, Math.min(Math.max(0, pos), b.length - 1));
  return i === null ? '?' : b.names[i]!;
}

/** A piece of a derivative chromosome in reading order, with `cen` when it holds the centromere. */
function segment(b: BandIndex, pos1: number, side: 'pter' | 'qter', reversed: boolean): string {
  const pos0 = pos1 - 1;
  const cen = b.cen !== null && (side === 'pter' ? pos0 >= b.cen[1] : pos0 < b.cen[0]);
  const parts = side === 'pter' ? ['pter', ...(cen ? ['cen'] : []), String(pos1)] : [String(pos1), ...(cen ? ['cen'] : []), 'qter'];
  return (reversed ? parts.reverse() : parts).join('_');
}

/** Dosage direction of a CNV from its copy number (else the depth fold change); null when neither says. */
function cnvDirection(call: SvCall): 'del' | 'dup' | null {
  if (call.copyNumber !== null && Number.isFinite(call.copyNumber)) {
    if (call.copyNumber < 2) return 'del';
    if (call.copyNumber > 2) return 'dup';
    return null;
  }
  if (call.depthFoldChange !== null && Number.isFinite(call.depthFoldChange)) {
    if (call.depthFoldChange < 1) return 'del';
    if (call.depthFoldChange > 1) return 'dup';
  }
  return null;
}

function join(karyotype: string | null, hgvs: string | null): string | null {
  const parts = [karyotype, hgvs].filter((s): s is string => s !== null);
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * Annotates one call. `build` is the sample's reference build (SampleDocument.build,
 * from detectBuild); anything but 'GRCh37'/'GRCh38' gives an unassessed annotation.
 */
export function annotateSv(call: SvCall, build: string | null | undefined): SvAnnotation {
  const b = asBuild(build);
  if (b === null) {
    return empty(null, `could not assess: reference build ${build ? JSON.stringify(build) : 'unknown'} (tables exist for GRCh37 and GRCh38 only)`);
  }
  const local = resolveChrom(b, call.chrom);
  if (typeof local === 'string') return empty(b, `could not assess: ${local}`);
  if (!Number.isSafeInteger(call.start) || !Number.isSafeInteger(call.end) || call.start < 0 || call.end < call.start) {
    return empty(b, `could not assess: invalid coordinates ${call.start}-${call.end}`);
  }
  const { chrom, bands } = local;
  const lastBase = call.type === 'BND' || call.type === 'INS' ? call.start : call.end - 1;
  if (lastBase >= bands.length) {
    return empty(b, `could not assess: ${call.chrom}:${call.start}-${call.end} lies beyond the end of ${b} chromosome ${chrom} (${bands.length} bp): wrong build?`);
  }
  const acc = REFSEQ[b][chrom]!;
  const geneModel: GeneModel = b === 'GRCh38' ? 'ensembl-gene' : 'exome-coding-span';
  const notes: string[] = [];
  if (b === 'GRCh37') notes.push('GRCh37 gene spans are approximate (first to last targeted coding exon)');

  switch (call.type) {
    case 'DEL':
    case 'DUP':
    case 'CNV':
    case 'INV': {
      const { start, end } = call;
      if (end <= start) return empty(b, `could not assess: empty interval ${call.chrom}:${start}-${end}`);
      const genes: GeneHit[] = genesOverlapping(b, chrom, start, end).map((g) => {
        const inside = g.start >= start && g.end <= end;
        if (inside) return { ...g, relation: call.type === 'INV' ? 'inverted' : 'contained', breakpoints: [] };
        const breakpoints: BreakpointSide[] = [];
        if (g.start < start && g.end > start) breakpoints.push('start');
        if (g.start < end && g.end > end) breakpoints.push('end');
        return { ...g, relation: 'disrupted', breakpoints };
      });
      const kind: 'del' | 'dup' | 'inv' | null = call.type === 'DEL' ? 'del' : call.type === 'DUP' ? 'dup' : call.type === 'INV' ? 'inv' : cnvDirection(call);
      if (call.type === 'CNV' && kind === null) {
        notes.push('copy-number change of unknown direction (copy number 2 or not measured): no ISCN description');
      }
      if (call.type === 'CNV' && (chrom === 'X' || chrom === 'Y') && kind !== null) {
        notes.push('copy number on X/Y is read against a diploid baseline: check the sample sex');
      }
      let karyotype: string | null = null;
      let hgvs: string | null = null;
      if (kind !== null) {
        const homozygous = kind === 'del' && (call.copyNumber === 0 || (call.type === 'DEL' && call.genotype === '1/1'));
        const b1 = bandName(bands, start);
        const b2 = bandName(bands, end - 1);
        karyotype = `seq[${b}] ${kind}(${chrom})(${b1}${b2})${homozygous ? 'x2' : ''}`;
        const range = `${hgvsPos(start + 1, call.ciPos)}_${hgvsPos(end, call.ciEnd)}${kind}`;
        hgvs = homozygous ? `${acc}:g.[${range}];[${range}]` : `${acc}:g.${range}`;
        if (kind === 'dup' && call.copyNumber !== null && call.copyNumber > 3) {
          notes.push(`copy number ${call.copyNumber}: dup does not say how many extra copies`);
        }
      }
      return {
        assessed: true, build: b, geneModel, genes, cytobands: cytobandsOverlapping(b, chrom, start, end),
        karyotype, hgvs, iscn: join(karyotype, hgvs), note: notes.length > 0 ? notes.join('; ') : null,
      };
    }
    case 'INS': {
      // Inserted between 0-based bases start-1 and start (VCF POS = start, 1-based).
      const at = call.start;
      const genes: GeneHit[] = genesOverlapping(b, chrom, Math.max(0, at - 1), at + 1)
        .filter((g) => g.start < at && g.end > at)
        .map((g) => ({ ...g, relation: 'disrupted', breakpoints: ['start'] }));
      const band = bandName(bands, at);
      // Origin of the inserted sequence unknown: ISCN `?` for the donor.
      const karyotype = `seq[${b}] ins(${chrom};?)(${band};?)`;
      const hgvs = at >= 1 ? `${acc}:g.${at}_${at + 1}insN[${call.svlen > 0 ? call.svlen : '?'}]` : null;
      notes.push('inserted sequence of unknown origin');
      return {
        assessed: true, build: b, geneModel, genes, cytobands: [`${chrom}${band}`],
        karyotype, hgvs, iscn: join(karyotype, hgvs), note: notes.join('; '),
      };
    }
    case 'BND': {
      const pos = call.start;
      const genes: GeneHit[] = genesOverlapping(b, chrom, pos, pos + 1).map((g) => ({ ...g, relation: 'disrupted', breakpoints: ['start'] }));
      const cytobands = [`${chrom}${bandName(bands, pos)}`];
      if (!call.mate) {
        notes.push('single breakend (mate not seen): no ISCN description');
        return { assessed: true, build: b, geneModel, genes, cytobands, karyotype: null, hgvs: null, iscn: null, note: notes.join('; ') };
      }
      const mate = resolveChrom(b, call.mate.chrom);
      if (typeof mate === 'string') return empty(b, `could not assess: mate ${mate}`);
      const mpos = call.mate.pos;
      if (!Number.isSafeInteger(mpos) || mpos < 0 || mpos >= mate.bands.length) {
        return empty(b, `could not assess: mate position ${call.mate.chrom}:${mpos} lies outside ${b} chromosome ${mate.chrom}: wrong build?`);
      }
      const mateGenes: GeneHit[] = genesOverlapping(b, mate.chrom, mpos, mpos + 1).map((g) => ({ ...g, relation: 'disrupted', breakpoints: ['mate'] }));
      const mateBand = bandName(mate.bands, mpos);
      cytobands.push(`${mate.chrom}${mateBand}`);

      // The junction in reading order along the derivative chromosome (strands: '+' = the
      // piece lies left of its breakend, pter..pos; '-' = right, pos..qter).
      let hgvs: string | null = null;
      const mateAcc = REFSEQ[b][mate.chrom]!;
      if (call.strands) {
        const [s0, s1] = [call.strands[0], call.strands[1]];
        const localSeg = segment(bands, pos + 1, s0 === '+' ? 'pter' : 'qter', false);
        // Read along the derivative, the mate piece runs backwards (qter→pos or pos→pter) when it lies
        // on the same side of its breakend as the local piece does of its own (a head-to-head junction).
        const mateSeg = segment(mate.bands, mpos + 1, s1 === '+' ? 'pter' : 'qter', s0 === s1);
        hgvs = s0 === '+' ? `${acc}:g.${localSeg}::${mateAcc}:g.${mateSeg}` : `${mateAcc}:g.${mateSeg}::${acc}:g.${localSeg}`;
      } else {
        notes.push('junction orientation unknown: no HGVS junction');
      }
      let karyotype: string | null = null;
      if (mate.chrom !== chrom) {
        const sides = [
          { chrom, band: bandName(bands, pos) },
          { chrom: mate.chrom, band: mateBand },
        ].sort((x, y) => iscnRank(x.chrom) - iscnRank(y.chrom));
        karyotype = `seq[${b}] t(${sides[0]!.chrom};${sides[1]!.chrom})(${sides[0]!.band};${sides[1]!.band})`;
        if (call.event?.type === 'unbalanced-translocation') {
          notes.push('unbalanced translocation: ISCN describes the derivative chromosome (der), not assigned here');
        }
      } else {
        notes.push('intrachromosomal breakend: the rearrangement (del/dup/inv) is not assigned from one junction');
      }
      const all = [...genes, ...mateGenes];
      return {
        assessed: true, build: b, geneModel, genes: all, cytobands,
        karyotype, hgvs, iscn: join(karyotype, hgvs), note: notes.length > 0 ? notes.join('; ') : null,
      };
    }
    default: {
      const never: never = call.type;
      return empty(b, `could not assess: unknown SV type ${String(never)}`);
    }
  }
}

/** Annotates many calls of one sample (the tables load once). */
export function annotateSvs(calls: readonly SvCall[], build: string | null | undefined): SvAnnotation[] {
  return calls.map((c) => annotateSv(c, build));
}
