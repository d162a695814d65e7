/**
 * GET /api/samples/{sampleId}/genome — the chromosomes to draw the sample on
 * (the workspace's karyogram and copy-number plot, and igv.js's reference):
 * for a known human build, its primary chromosomes with lengths and
 * centromeres; otherwise the contigs of the BAM header (from the analysis
 * profile), without centromeres (shared/genome/ideogram.ts). Each carries the
 * BAM's own contig name and the index's mean depth when known.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import type { GenomeProfile } from '../shared/contracts';
import { genomeChromosomes } from '../shared/genome/ideogram';
import { layout } from '../shared/layout';
import { answer, json } from './adapters/http';
import { tryReadResultJson } from './adapters/results';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

export async function getSampleGenomeHandler(request: HttpRequest, context: InvocationContext) {
  return answer(context, async () => {
    const doc = await requireSample(request.params.sampleId);
    const profile = await tryReadResultJson<GenomeProfile>(layout.profile(doc.sampleId, doc.runId));
    const build = doc.build ?? profile?.build ?? null;
    const { source, chromosomes } = genomeChromosomes(build, profile);
    return json(200, {
      sampleId: doc.sampleId,
      runId: doc.runId,
      build,
      source,
      naming: profile?.naming ?? null,
      chromosomes,
      prescreen: doc.prescreen,
    });
  });
}

registerHttp({
  name: 'getSampleGenome',
  route: 'samples/{sampleId}/genome',
  methods: ['GET'],
  access: 'read',
  audit: 'read-sample',
  handler: getSampleGenomeHandler,
});
