/**
 * GET /api/samples/{sampleId}/report — the printable HTML report of the
 * sample's reviewed SVs (shared/report.ts): print it or save it as PDF from
 * the browser.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import type { Principal } from '../shared/identity';
import { renderReport } from '../shared/report';
import type { OrchestrationClient } from './adapters/durableClient';
import { answer } from './adapters/http';
import { listReviews, readSvCalls } from './adapters/reviews';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

export async function getSampleReportHandler(request: HttpRequest, context: InvocationContext, _client: OrchestrationClient, caller: Principal) {
  return answer(context, async () => {
    const sample = await requireSample(request.params.sampleId);
    const reviews = await listReviews(sample.sampleId);
    const svs = await readSvCalls(sample.sampleId, sample.runId, reviews.map((r) => r.svId));
    const byId = new Map(svs.map((sv) => [sv.callId, sv]));
    const html = renderReport({
      sample,
      reviewed: reviews.map((review) => ({ review, sv: byId.get(review.svId) })),
      generatedAt: new Date(),
      generatedBy: caller.name,
    });
    return {
      status: 200,
      body: html,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Disposition': `inline; filename="${sample.sampleId}-report.html"`,
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
      },
    };
  });
}

registerHttp({
  name: 'getSampleReport',
  route: 'samples/{sampleId}/report',
  methods: ['GET'],
  access: 'read',
  audit: 'read-report',
  handler: getSampleReportHandler,
});
