// The read-level view of an SV's breakpoints: igv.js (from npm, served at
// /vendor/igv.esm.min.js) reading the sample's BAM through the API by byte
// ranges (/api/samples/{id}/bam and /bam/index). The reference is
// "sequence-less": only the contigs' names and lengths (igv's chromsizes
// format), so no reference FASTA is needed.
import { api, identityHeaders } from './api.js';

let igvPromise = null;
let current = null;

function loadIgv() {
  igvPromise ??= import('/vendor/igv.esm.min.js').then((m) => m.default ?? m);
  return igvPromise;
}

/** igv loci: the whole event when short, each breakpoint when long (two panels). */
export function lociOf(sv) {
  const pad = 300;
  const span = Math.max(sv.end1 - sv.pos1, 0);
  if (sv.type === 'BND' && sv.mate) {
    return [`${sv.chrom}:${Math.max(sv.pos1 - pad, 1)}-${sv.pos1 + pad}`, `${sv.mate.chrom}:${Math.max(sv.mate.pos + 1 - pad, 1)}-${sv.mate.pos + 1 + pad}`];
  }
  if (span <= 4000) {
    const extra = Math.max(pad, Math.round(span * 0.25));
    return [`${sv.chrom}:${Math.max(sv.pos1 - extra, 1)}-${sv.end1 + extra}`];
  }
  return [`${sv.chrom}:${Math.max(sv.pos1 - pad, 1)}-${sv.pos1 + pad}`, `${sv.chrom}:${Math.max(sv.end1 - pad, 1)}-${sv.end1 + pad}`];
}

export function disposeReads() {
  if (current) {
    const { igv, browser, blobUrl } = current;
    current = null;
    try {
      igv.removeBrowser(browser);
    } catch {
      // Already gone with its container.
    }
    URL.revokeObjectURL(blobUrl);
  }
}

/** Shows the reads of `sv` in `container`; `genome` is the /genome answer (contigs and lengths). */
export async function showReads(container, { sampleId, genome, sv }) {
  disposeReads();
  const igv = await loadIgv();
  const sizes = genome.chromosomes
    .filter((c) => c.contig)
    .map((c) => `${c.contig}\t${c.length}`)
    .join('\n');
  const blobUrl = URL.createObjectURL(new Blob([`${sizes}\n`], { type: 'text/plain' }));
  const browser = await igv.createBrowser(container, {
    // No requests to igv.org's genome list: the reference is the sample's own contigs.
    loadDefaultGenomes: false,
    reference: { id: `lag-${sampleId}`, name: sampleId, fastaURL: blobUrl, format: 'chromsizes', wholeGenomeView: false },
    locus: lociOf(sv),
    showCytobandTrack: false,
    showIdeogram: false,
    showSequence: false,
    showNavigation: true,
    showRuler: true,
    tracks: [
      {
        type: 'alignment',
        format: 'bam',
        name: sampleId,
        url: api.bamUrl(sampleId),
        indexURL: api.baiUrl(sampleId),
        headers: identityHeaders(),
        // No reference sequence: igv.js can neither compare bases nor draw clipped bases against it.
        showSoftClips: false,
        showMismatches: false,
        viewAsPairs: false,
        colorBy: 'unexpectedPair',
        displayMode: 'SQUISHED',
        height: 320,
      },
    ],
  });
  current = { igv, browser, blobUrl };
  return browser;
}
