/** The OpenAPI 3 description of LAG's HTTP API, served at /api/openapi.json. */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SV_TYPES } from './svQuery';
import { LAG_VERSION } from './version';

const error = { $ref: '#/components/responses/Error' };
const sampleId = { name: 'sampleId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' }, description: 'The BAM name without .bam' };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'LAG — Logiciel d’Analyse Génomique',
      version: LAG_VERSION,
      description:
        'Structural variants found in whole-genome BAMs. Coordinates are 1-based and inclusive (pos1, end1, region). Errors name the parameter and the problem.',
    },
    servers: [{ url: '/api' }],
    paths: {
      '/samples': {
        get: {
          operationId: 'listSamples',
          summary: 'Every sample with its analysis status, newest first',
          parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] } }],
          responses: { '200': { description: 'Samples', content: { 'application/json': { schema: { type: 'object', properties: { samples: { type: 'array', items: { $ref: '#/components/schemas/Sample' } } } } } } }, '400': error },
        },
      },
      '/samples/{sampleId}': {
        get: {
          operationId: 'getSample',
          summary: 'One sample: status, live progress, library statistics, counts by SV type, warnings, error',
          parameters: [sampleId],
          responses: { '200': { description: 'The sample', content: { 'application/json': { schema: { $ref: '#/components/schemas/Sample' } } } }, '404': error },
        },
      },
      '/samples/{sampleId}/svs': {
        get: {
          operationId: 'listSampleSvs',
          summary: 'The SVs of a completed analysis, filtered and paged, in genome order',
          parameters: [
            sampleId,
            { name: 'chromosome', in: 'query', schema: { type: 'string' }, description: '1–22, X, Y, M (with or without chr)' },
            { name: 'region', in: 'query', schema: { type: 'string' }, example: '7:72700000-74200000', description: 'chr:start-end, 1-based inclusive; SVs overlapping it' },
            { name: 'type', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${SV_TYPES.join(', ')}` },
            { name: 'minSize', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'minScore', in: 'query', schema: { type: 'number', minimum: 0, maximum: 1 } },
            { name: 'pass', in: 'query', schema: { type: 'boolean' }, description: 'true: only calls with FILTER PASS' },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
            { name: 'continuationToken', in: 'query', schema: { type: 'string' }, description: 'from the previous page' },
          ],
          responses: {
            '200': {
              description: 'One page of SVs',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      sampleId: { type: 'string' },
                      runId: { type: 'string' },
                      count: { type: 'integer' },
                      items: { type: 'array', items: { $ref: '#/components/schemas/Sv' } },
                      continuationToken: { type: 'string', nullable: true },
                    },
                  },
                },
              },
            },
            '400': error,
            '404': error,
            '409': error,
          },
        },
      },
      '/samples/{sampleId}/vcf': {
        get: {
          operationId: 'getSampleVcf',
          summary: 'The bgzipped VCF 4.4 of the latest completed analysis',
          parameters: [sampleId],
          responses: { '200': { description: 'VCF', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/vcf/index': {
        get: {
          operationId: 'getSampleVcfIndex',
          summary: 'The tabix index (.tbi) of that VCF',
          parameters: [sampleId],
          responses: { '200': { description: 'TBI', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/rerun': {
        post: {
          operationId: 'rerunSample',
          summary: 'Analyse the sample’s current BAM again',
          parameters: [sampleId],
          responses: { '202': { description: 'Queued' }, '404': error, '409': error },
        },
      },
      '/health': { get: { operationId: 'health', summary: 'Liveness', responses: { '200': { description: 'OK' } } } },
    },
    components: {
      responses: {
        Error: {
          description: 'What went wrong, and for a bad parameter which one',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, parameter: { type: 'string' } }, required: ['code', 'message'] } },
              },
            },
          },
        },
      },
      schemas: {
        Sample: {
          type: 'object',
          properties: {
            sampleId: { type: 'string' },
            runId: { type: 'string' },
            status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] },
            stage: { type: 'string' },
            progress: { type: 'object' },
            build: { type: 'string', nullable: true },
            library: { type: 'object', nullable: true },
            countsByType: { type: 'object', additionalProperties: { type: 'integer' } },
            totalCalls: { type: 'integer' },
            warnings: { type: 'array', items: { type: 'string' } },
            error: { type: 'object', nullable: true, properties: { code: { type: 'string' }, message: { type: 'string' } } },
            timings: { type: 'object' },
          },
        },
        Sv: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            chrom: { type: 'string', description: 'contig as named in the BAM' },
            chromosome: { type: 'string', description: 'normalised: 1–22, X, Y, M' },
            pos1: { type: 'integer', description: '1-based first affected base' },
            end1: { type: 'integer', description: '1-based last affected base' },
            type: { type: 'string', enum: [...SV_TYPES] },
            svlen: { type: 'integer' },
            genotype: { type: 'string' },
            genotypeQuality: { type: 'integer' },
            pairedEnd: { type: 'integer' },
            splitReads: { type: 'integer' },
            depthFoldChange: { type: 'number', nullable: true },
            copyNumber: { type: 'integer', nullable: true },
            score: { type: 'number' },
            filter: { type: 'string' },
          },
        },
      },
    },
  };
}
