/**
 * GET /api/samples/{sampleId}/bam — byte ranges of the sample's BAM, and
 * /bam/index — its BAI, for the workspace's read-level view (igv.js), which
 * reads a BAM the way our activities do: the index whole, then the BGZF
 * blocks of the region shown, by `Range: bytes=a-b`.
 *
 * Both are pinned to the BAM and BAI the current analysis read (their ETags
 * in the sample record): a replaced upload answers 409 until its own analysis
 * has started. A BAM is answered by ranges only (at most MAX_RANGE_BYTES a
 * request), never whole: a genome is tens of gigabytes. Every request is
 * audited (action `read-sample`, with the route), like any read of a
 * patient's data.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { parseRange } from '../shared/byteRange';
import { ConflictError, RequestError } from '../shared/errors';
import { answer } from './adapters/http';
import { BlobRangeFilehandle } from './adapters/blobs';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

/** The largest range one request may ask for (igv asks for the blocks of the region it shows). */
export const MAX_RANGE_BYTES = 32 * 1024 * 1024;
/** An index is sent whole up to this size (a 30x genome's BAI is ~10 MB). */
export const MAX_INDEX_BYTES = 256 * 1024 * 1024;

export async function getSampleBamHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return answer(context, async () => {
    const part = request.params.part;
    if (part !== undefined && part !== 'index') throw new RequestError('part', `'${part}' is not a BAM part; use /bam or /bam/index`);
    const doc = await requireSample(request.params.sampleId);
    const ref = part === 'index' ? doc.genome.bai : doc.genome.bam;
    if (!ref) throw new ConflictError('INDEX_MISSING', `sample ${doc.sampleId} has no BAM index yet: upload ${doc.sampleId}.bam.bai`);
    const file = BlobRangeFilehandle.fromRef(ref);
    const { size } = await file.stat();
    const filename = part === 'index' ? `${doc.sampleId}.bam.bai` : `${doc.sampleId}.bam`;
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
      'Content-Disposition': `inline; filename="${filename}"`,
    };
    const rangeHeader = request.headers.get('range');
    const head = request.method.toUpperCase() === 'HEAD';
    if (rangeHeader === null) {
      const limit = part === 'index' ? MAX_INDEX_BYTES : MAX_RANGE_BYTES;
      if (size > limit) {
        throw new RequestError('Range', `${filename} is ${size} bytes: ask for byte ranges (Range: bytes=a-b, at most ${MAX_RANGE_BYTES} bytes each)`);
      }
      headers['Content-Length'] = String(size);
      return { status: 200, headers, ...(head ? {} : { body: await file.readFile() }) };
    }
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } };
    }
    const length = range.end - range.start + 1;
    if (length > MAX_RANGE_BYTES) {
      throw new RequestError('Range', `${length} bytes asked; at most ${MAX_RANGE_BYTES} a request`);
    }
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(length);
    return { status: 206, headers, ...(head ? {} : { body: await file.read(length, range.start) }) };
  });
}

registerHttp({
  name: 'getSampleBam',
  route: 'samples/{sampleId}/bam/{part?}',
  methods: ['GET', 'HEAD'],
  access: 'read',
  // Reads of the patient's alignments themselves (the igv view): their own action in the audit trail.
  audit: 'read-alignments',
  handler: getSampleBamHandler,
});
