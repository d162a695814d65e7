import type { AnalysisProgress } from '../../functions/analyzeGenome';
import { sampleView } from '../../functions/common/sampleView';
import { DEFAULT_SETTINGS } from '../../shared/contracts';
import { newSampleDocument } from '../../shared/sampleRecord';

const doc = {
  ...newSampleDocument(
    {
      sampleId: 'S1',
      runId: 'r1',
      genome: { bam: { container: 'genomes', name: 'S1.bam', etag: 'e' }, bai: { container: 'genomes', name: 'S1.bam.bai', etag: 'f' } },
      requestedAt: '2026-01-01T00:00:00Z',
      settings: DEFAULT_SETTINGS,
    },
    new Date('2026-01-01T00:00:00Z'),
  ),
  status: 'running' as const,
};

test('live progress: units done from result blobs, chromosomes done when all their units are', () => {
  const plan: AnalysisProgress = { stage: 'calling', unitsTotal: 5, unitsPerChromosome: { '1': 3, '2': 1, X: 1 }, retries: 0 };
  const view = sampleView(doc, { status: { runtimeStatus: 'Running', customStatus: plan, output: null }, unitsDone: { '1': 2, '2': 1 } });
  expect(view.stage).toBe('calling');
  expect(view.progress).toEqual({ done: 3, total: 5, chromosomesDone: 1, chromosomesTotal: 3 });
  expect(view.id).toBeUndefined();
  expect(view.links).toEqual({ self: '/api/samples/S1', svs: '/api/samples/S1/svs', vcf: null });
});

test('a finished sample shows its stored record, not live data', () => {
  const view = sampleView({ ...doc, status: 'completed', stage: 'completed' }, undefined);
  expect(view.stage).toBe('completed');
  expect(view.progress).toEqual(doc.progress);
});
