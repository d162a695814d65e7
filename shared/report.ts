/**
 * The sample-level report: a printable HTML page listing the SVs biologists
 * reviewed as real or uncertain (with their ISCN description, genes and
 * cytobands when the SV documents carry an `annotation`), and those they
 * excluded as false positives. Pure; every value is escaped.
 */
import type { SampleDocument, SvDocument } from './contracts';
import { ACMG_CLASSES, ACMG_LABELS, REVIEW_STATE_LABELS, type ReviewDocument } from './review';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Annotation fields of an SV document, when present (added by the annotation step; optional here). */
export interface SvAnnotationView {
  genes: string[];
  cytobands: string[];
  iscn: string | null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function annotationOf(sv: SvDocument): SvAnnotationView {
  const raw = (sv as SvDocument & { annotation?: unknown; iscn?: unknown }).annotation;
  const a = (typeof raw === 'object' && raw !== null ? raw : {}) as { genes?: unknown; cytobands?: unknown; iscn?: unknown };
  const genes = strings(a.genes).concat(
    // genes may be objects {symbol} in a richer annotation
    Array.isArray(a.genes) ? a.genes.filter((g): g is { symbol: string } => typeof g === 'object' && g !== null && typeof (g as { symbol?: unknown }).symbol === 'string').map((g) => g.symbol) : [],
  );
  const topIscn = (sv as SvDocument & { iscn?: unknown }).iscn;
  const iscn = typeof a.iscn === 'string' ? a.iscn : typeof topIscn === 'string' ? topIscn : null;
  return { genes, cytobands: strings(a.cytobands), iscn };
}

export interface ReportInput {
  sample: SampleDocument;
  /** Reviews of the sample, each with its SV in the current run when it is there. */
  reviewed: { review: ReviewDocument; sv: SvDocument | undefined }[];
  generatedAt: Date;
  generatedBy: string;
}

function location(sv: SvDocument): string {
  if (sv.type === 'BND' && sv.mate) return `${sv.chromosome}:${sv.pos1.toLocaleString('en-US')} ↔ ${sv.mate.chrom}:${(sv.mate.pos + 1).toLocaleString('en-US')}`;
  return `${sv.chromosome}:${sv.pos1.toLocaleString('en-US')}-${sv.end1.toLocaleString('en-US')}`;
}

function size(sv: SvDocument): string {
  if (sv.type === 'BND' || !sv.svlen) return '—';
  // An insertion longer than its reads could assemble: its length is a lower bound.
  const atLeast = sv.svlenAtLeast ? '≥ ' : '';
  if (sv.svlen >= 1_000_000) return `${atLeast}${(sv.svlen / 1_000_000).toFixed(2)} Mb`;
  if (sv.svlen >= 1_000) return `${atLeast}${(sv.svlen / 1_000).toFixed(1)} kb`;
  return `${atLeast}${sv.svlen} bp`;
}

const severity = (r: ReviewDocument) => (r.acmgClass === null ? ACMG_CLASSES.length : ACMG_CLASSES.indexOf(r.acmgClass));

function row(review: ReviewDocument, sv: SvDocument | undefined): string {
  const a = sv ? annotationOf(sv) : { genes: [], cytobands: [], iscn: null };
  const cells = [
    a.iscn ?? '—',
    sv ? sv.type : '—',
    sv ? location(sv) : `${review.svId} (not in the current analysis)`,
    sv ? size(sv) : '—',
    a.cytobands.length ? a.cytobands.join(', ') : '—',
    a.genes.length ? a.genes.slice(0, 30).join(', ') + (a.genes.length > 30 ? ` … (${a.genes.length})` : '') : '—',
    sv?.genotype ?? '—',
    REVIEW_STATE_LABELS[review.state],
    review.acmgClass ? ACMG_LABELS[review.acmgClass] : 'Not classified',
    review.comment || '—',
    `${review.by.name}, ${review.at.slice(0, 10)} (v${review.version})`,
  ];
  return `<tr>${cells.map((c, i) => `<td${i === 0 ? ' class="iscn"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`;
}

const HEAD = ['ISCN', 'Type', 'Location (1-based)', 'Size', 'Cytobands', 'Genes', 'Genotype', 'Review', 'ACMG/ClinGen class', 'Comment', 'Reviewed by'];

function table(rows: { review: ReviewDocument; sv: SvDocument | undefined }[]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  return `<table><thead><tr>${HEAD.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${rows
    .map((r) => row(r.review, r.sv))
    .join('\n')}\n</tbody></table>`;
}

/** The report as a complete HTML document (UTF-8), ready to print or save as PDF from the browser. */
export function renderReport(input: ReportInput): string {
  const { sample } = input;
  const genomeOrder = (x: { sv: SvDocument | undefined }) => x.sv?.sortKey ?? Number.MAX_SAFE_INTEGER;
  const retained = input.reviewed
    .filter((r) => r.review.state !== 'false-positive')
    .sort((x, y) => severity(x.review) - severity(y.review) || genomeOrder(x) - genomeOrder(y));
  const excluded = input.reviewed.filter((r) => r.review.state === 'false-positive').sort((x, y) => genomeOrder(x) - genomeOrder(y));
  const facts: [string, string][] = [
    ['Sample', sample.sampleId],
    ['Analysis run', sample.runId],
    ['Reference build', sample.build ?? 'not recognised'],
    ['Analysis status', sample.status],
    ['Analysed', sample.timings.finishedAt ?? '—'],
    ['SVs called', String(sample.totalCalls)],
    ['SVs reviewed', String(input.reviewed.length)],
    ['Report generated', `${input.generatedAt.toISOString()} by ${input.generatedBy}`],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>LAG report — ${escapeHtml(sample.sampleId)}</title>
<style>
  body { font-family: system-ui, sans-serif; font-size: 11pt; margin: 2em; color: #111; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; }
  h2 { font-size: 13pt; margin-top: 1.5em; }
  dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
  th, td { border: 1px solid #999; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.iscn { font-family: ui-monospace, monospace; }
  .note { font-size: 9pt; color: #444; }
  @media print { body { margin: 1cm; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Structural variant report — ${escapeHtml(sample.sampleId)}</h1>
<dl>
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
<h2>Reviewed abnormalities</h2>
${table(retained)}
<h2>Excluded as false positives</h2>
${table(excluded)}
<p class="note">Coordinates are 1-based and inclusive. Classes follow the ACMG/ClinGen technical standards for CNVs. Only SVs a biologist reviewed are listed; the full call set is in the sample's VCF. Generated by LAG; print this page or save it as PDF from the browser.</p>
</body>
</html>
`;
}
