/**
 * POST /api/samples/{sampleId}/rerun — analyses the sample's current BAM
 * again (e.g. after a LAG upgrade). Refused while an analysis is running.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { OrchestrationClient } from './adapters/durableClient';
import { findBlob } from './adapters/genomes';
import { answer, json } from './adapters/http';
import { instanceIdFor, startAnalysis } from './genomeEvents';
import { locateIndex } from './locateIndex';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

export async function rerunSampleHandler(request: HttpRequest, context: InvocationContext, client: OrchestrationClient) {
  return answer(context, async () => {
    const doc = await requireSample(request.params.sampleId);
    const live = await client.getStatus(doc.runId);
    if (live && (live.runtimeStatus === 'Running' || live.runtimeStatus === 'Pending')) {
      throw new ConflictError('ANALYSIS_RUNNING', `sample ${doc.sampleId} is being analysed (run ${doc.runId}); re-run it when that finishes`);
    }
    const bam = await findBlob(doc.genome.bam.container, doc.genome.bam.name);
    if (!bam) {
      throw new NotFoundError(`${doc.genome.bam.name} is no longer in the ${doc.genome.bam.container} container; upload it again to analyse it`);
    }
    const runId = `${instanceIdFor(bam)}-rerun-${Date.now().toString(36)}`;
    const bai = await locateIndex({ bam }, context);
    await startAnalysis(bam, bai, doc.sampleId, runId, client);
    context.log(`${doc.sampleId}: re-run ${runId} started`);
    return json(202, { sampleId: doc.sampleId, runId, status: 'queued', links: { self: `/api/samples/${doc.sampleId}` } }, {
      Location: `/api/samples/${doc.sampleId}`,
    });
  });
}

registerHttp({
  name: 'rerunSample',
  route: 'samples/{sampleId}/rerun',
  methods: ['POST'],
  access: 'rerun',
  audit: 'rerun',
  handler: rerunSampleHandler,
});
