/** The public view of a sample record, with live progress from the orchestration when it runs. */
import type { SampleDocument } from '../../shared/contracts';
import { NotFoundError } from '../../shared/errors';
import { isSampleId } from '../../shared/layout';
import type { AnalysisProgress } from '../analyzeGenome';
import { readSample } from '../adapters/cosmos';
import type { OrchestrationStatus } from '../adapters/durableClient';

/** Live progress of a running analysis: its stage, and the units whose results exist. */
export interface LiveProgress {
  status: OrchestrationStatus;
  unitsDone: Record<string, number>;
}

export function sampleView(doc: SampleDocument, live: LiveProgress | undefined): Record<string, unknown> {
  const progress = live?.status.customStatus as AnalysisProgress | undefined;
  const { id: _id, ...rest } = doc as SampleDocument & Record<string, unknown>;
  void _id;
  const view: Record<string, unknown> = { ...rest };
  for (const k of Object.keys(view)) if (k.startsWith('_')) delete view[k];
  if (live && progress && (doc.status === 'running' || doc.status === 'queued')) {
    const perChromosome = progress.unitsPerChromosome ?? {};
    const chromosomes = Object.keys(perChromosome);
    view.stage = progress.stage;
    view.progress = {
      done: Object.values(live.unitsDone).reduce((a, b) => a + b, 0),
      total: progress.unitsTotal,
      chromosomesDone: chromosomes.filter((c) => (live.unitsDone[c] ?? 0) >= perChromosome[c]!).length,
      chromosomesTotal: chromosomes.length,
    };
  }
  view.links = {
    self: `/api/samples/${doc.sampleId}`,
    svs: `/api/samples/${doc.sampleId}/svs`,
    vcf: doc.status === 'completed' ? `/api/samples/${doc.sampleId}/vcf` : null,
  };
  return view;
}

/** The sample record, or a 404 that names the sample. */
export async function requireSample(sampleId: string | undefined): Promise<SampleDocument> {
  if (!sampleId || !isSampleId(sampleId)) throw new NotFoundError(`no sample '${sampleId ?? ''}': sample ids are the BAM name without .bam`);
  const doc = await readSample(sampleId);
  if (!doc) throw new NotFoundError(`no sample '${sampleId}': upload ${sampleId}.bam and ${sampleId}.bam.bai to the genomes container`);
  return doc;
}
