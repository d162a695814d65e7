/**
 * GET /api/samples/{sampleId}/vcf — the bgzipped VCF of the latest completed
 * analysis; /vcf/index — its tabix index.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { ConflictError, RequestError } from '../shared/errors';
import { answer } from './adapters/http';
import { readResultBuffer } from './adapters/results';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

export async function getSampleVcfHandler(request: HttpRequest, context: InvocationContext) {
  return answer(context, async () => {
    const part = request.params.part;
    if (part !== undefined && part !== 'index') throw new RequestError('part', `'${part}' is not a VCF part; use /vcf or /vcf/index`);
    const doc = await requireSample(request.params.sampleId);
    if (doc.status !== 'completed' || !doc.results) {
      throw new ConflictError('ANALYSIS_NOT_COMPLETE', `sample ${doc.sampleId} has no VCF yet: its analysis is ${doc.status} (${doc.stage})`);
    }
    const blob = part === 'index' ? doc.results.tbi : doc.results.vcf;
    const bytes = await readResultBuffer(blob);
    const filename = part === 'index' ? `${doc.sampleId}.vcf.gz.tbi` : `${doc.sampleId}.vcf.gz`;
    return {
      status: 200,
      body: bytes,
      headers: {
        'Content-Type': part === 'index' ? 'application/octet-stream' : 'application/gzip',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
      },
    };
  });
}

registerHttp({
  name: 'getSampleVcf',
  route: 'samples/{sampleId}/vcf/{part?}',
  methods: ['GET'],
  access: 'read',
  audit: (request) => (request.params.part === 'index' ? 'download-vcf-index' : 'download-vcf'),
  handler: getSampleVcfHandler,
});
