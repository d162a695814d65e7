/** The OpenAPI 3 description of LAG's HTTP API, served at /api/openapi.json. */
import { AUDIT_ACTIONS } from './audit';
import { IDENTITY_HEADERS } from './identity';
import { ACMG_CLASSES, MAX_COMMENT_LENGTH, REVIEW_FILTER_VALUES, REVIEW_STATES } from './review';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SV_TYPES } from './svQuery';
import { LAG_VERSION } from './version';

const error = { $ref: '#/components/responses/Error' };
/** 401 (no identity) and 403 (role missing) on every route but health. */
const denied = { '401': error, '403': error };
const svId = { name: 'svId', in: 'path', required: true, schema: { type: 'string' }, description: 'The id of an SV in the SV list' };
const review = { $ref: '#/components/schemas/Review' };
const sampleId = { name: 'sampleId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' }, description: 'The BAM name without .bam' };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'LAG — Logiciel d’Analyse Génomique',
      version: LAG_VERSION,
      description:
        'Structural variants found in whole-genome BAMs. Coordinates are 1-based and inclusive (pos1, end1, region). Errors name the parameter and the problem. ' +
        'Every route but /health needs a signed-in user: in Azure an Entra ID token for the LAG API (App Service authentication passes the user and their app roles to the app); ' +
        `locally the development identity chosen at start-up (LAG_DEV_USER, LAG_DEV_ROLES) or the headers ${IDENTITY_HEADERS.devUser} / ${IDENTITY_HEADERS.devRoles} (local mode only, ignored in Azure). ` +
        'Roles: biologist (read, review), admin (also re-run, audit). 401 without identity, 403 without the role (the message names it). ' +
        'Every read of a sample’s data, every download and every review change is recorded in the audit trail; when it cannot be recorded the answer is 503.',
    },
    security: [{ entraId: [] }],
    servers: [{ url: '/api' }],
    paths: {
      '/samples': {
        get: {
          operationId: 'listSamples',
          summary: 'Every sample with its analysis status, newest first',
          parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] } }],
          responses: { ...denied, '200': { description: 'Samples', content: { 'application/json': { schema: { type: 'object', properties: { samples: { type: 'array', items: { $ref: '#/components/schemas/Sample' } } } } } } }, '400': error },
        },
      },
      '/samples/{sampleId}': {
        get: {
          operationId: 'getSample',
          summary: 'One sample: status, live progress, library statistics, counts by SV type, warnings, error',
          parameters: [sampleId],
          responses: { ...denied, '200': { description: 'The sample', content: { 'application/json': { schema: { $ref: '#/components/schemas/Sample' } } } }, '404': error },
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
            { name: 'review', in: 'query', schema: { type: 'string' }, description: `comma-separated review states to keep: ${REVIEW_FILTER_VALUES.join(', ')}` },
          ],
          responses: {
            ...denied,
            '200': {
              description: 'One page of SVs, each with its review (or null)',
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
          responses: { ...denied, '200': { description: 'VCF', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/vcf/index': {
        get: {
          operationId: 'getSampleVcfIndex',
          summary: 'The tabix index (.tbi) of that VCF',
          parameters: [sampleId],
          responses: { ...denied, '200': { description: 'TBI', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/genome': {
        get: {
          operationId: 'getSampleGenome',
          summary: 'The chromosomes to draw the sample on: a known build’s lengths and centromeres, else the BAM header’s contigs; with the copy-number screen',
          parameters: [sampleId],
          responses: { ...denied, '200': { description: 'Chromosomes (name, contig, length, centromere, meanDepth), build, prescreen', content: { 'application/json': { schema: { type: 'object' } } } }, '404': error },
        },
      },
      '/samples/{sampleId}/bam': {
        get: {
          operationId: 'getSampleBam',
          summary: 'Byte ranges of the analysed BAM (Range: bytes=a-b, at most 32 MiB each; 206), for read-level views such as igv.js. Audited.',
          parameters: [sampleId, { name: 'Range', in: 'header', schema: { type: 'string' }, example: 'bytes=0-65535' }],
          responses: { ...denied, '206': { description: 'The range', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, '400': error, '404': error, '416': { description: 'Range past the end' } },
        },
      },
      '/samples/{sampleId}/bam/index': {
        get: {
          operationId: 'getSampleBamIndex',
          summary: 'The BAM’s index (.bai), whole or by byte ranges. Audited.',
          parameters: [sampleId],
          responses: { ...denied, '200': { description: 'BAI', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, '206': { description: 'A range of the BAI' }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/rerun': {
        post: {
          operationId: 'rerunSample',
          summary: 'Analyse the sample’s current BAM again (role admin)',
          parameters: [sampleId],
          responses: { ...denied, '202': { description: 'Queued' }, '404': error, '409': error },
        },
      },
      '/samples/{sampleId}/svs/{svId}/review': {
        get: {
          operationId: 'getSvReview',
          summary: 'An SV’s review with its history; the ETag header is needed to change it',
          parameters: [sampleId, svId],
          responses: { ...denied, '200': { description: 'The review', headers: { ETag: { schema: { type: 'string' } } }, content: { 'application/json': { schema: review } } }, '404': error },
        },
        put: {
          operationId: 'putSvReview',
          summary: 'Review an SV (role biologist or admin): If-None-Match: * for the first review, If-Match: <ETag> for a change',
          parameters: [
            sampleId,
            svId,
            { name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'the ETag of the review read (changes)' },
            { name: 'If-None-Match', in: 'header', schema: { type: 'string', enum: ['*'] }, description: 'first review only' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['state'],
                  additionalProperties: false,
                  properties: {
                    state: { type: 'string', enum: [...REVIEW_STATES] },
                    acmgClass: { type: 'string', enum: [...ACMG_CLASSES], nullable: true, description: 'ACMG/ClinGen CNV class' },
                    comment: { type: 'string', maxLength: MAX_COMMENT_LENGTH },
                  },
                },
              },
            },
          },
          responses: {
            ...denied,
            '200': { description: 'Changed (the previous version is in history)', headers: { ETag: { schema: { type: 'string' } } }, content: { 'application/json': { schema: review } } },
            '201': { description: 'First review', headers: { ETag: { schema: { type: 'string' } } }, content: { 'application/json': { schema: review } } },
            '400': error,
            '404': error,
            '409': error,
            '412': { ...error, description: 'The review changed since it was read (If-Match), or exists already (If-None-Match: *)' },
            '428': { ...error, description: 'Neither If-Match nor If-None-Match' },
          },
        },
      },
      '/samples/{sampleId}/report': {
        get: {
          operationId: 'getSampleReport',
          summary: 'Printable HTML report of the reviewed SVs (ISCN, genes, cytobands when annotated; review; ACMG class)',
          parameters: [sampleId],
          responses: { ...denied, '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, '404': error },
        },
      },
      '/audit': {
        get: {
          operationId: 'queryAudit',
          summary: 'The audit trail, newest first (role admin); append-only: no route changes it',
          parameters: [
            { name: 'sampleId', in: 'query', schema: { type: 'string' } },
            { name: 'user', in: 'query', schema: { type: 'string' }, description: 'user name or id' },
            { name: 'action', in: 'query', schema: { type: 'string', enum: [...AUDIT_ACTIONS] } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'ISO date or time, inclusive' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'ISO date or time, exclusive' },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 } },
            { name: 'continuationToken', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            ...denied,
            '200': {
              description: 'One page of entries',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      count: { type: 'integer' },
                      items: { type: 'array', items: { $ref: '#/components/schemas/AuditEntry' } },
                      continuationToken: { type: 'string', nullable: true },
                    },
                  },
                },
              },
            },
            '400': error,
          },
        },
      },
      '/health': { get: { operationId: 'health', summary: 'Liveness (no identity needed)', security: [], responses: { '200': { description: 'OK' } } } },
    },
    components: {
      securitySchemes: {
        entraId: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Entra ID access token for the LAG API app registration (api://<client id>); app roles biologist, admin',
        },
      },
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
            svlenAtLeast: { type: 'boolean', description: 'INS: svlen is a lower bound (the insertion is longer than its reads could assemble)' },
            genotype: { type: 'string' },
            genotypeQuality: { type: 'integer' },
            pairedEnd: { type: 'integer' },
            splitReads: { type: 'integer' },
            depthFoldChange: { type: 'number', nullable: true },
            copyNumber: { type: 'integer', nullable: true },
            score: { type: 'number', description: "the SV scorer's probability that the call's claim is true (docs/scoring.md)" },
            modelVersion: { type: 'string', description: 'the scorer that gave `score`' },
            modelApplied: {
              type: 'boolean',
              description: 'false when the genome or the kind of call lies outside what the scorer learnt from: `score` is shown, `filter` is the caller\'s own',
            },
            modelNotAppliedReason: {
              type: 'string',
              enum: ['genome', 'depthOnly', 'betweenCopies', 'fewExamples'],
              description:
                'why the scorer did not judge the call (modelApplied false): the genome is outside its domain, a change seen by depth alone, depth between whole copy numbers (a mosaic?), or a kind of call it learnt from too few examples',
            },
            callerFilter: { type: 'string', description: "the caller's own FILTER, before the scorer's" },
            filter: { type: 'string' },
            review: {
              type: 'object',
              nullable: true,
              properties: {
                state: { type: 'string', enum: [...REVIEW_STATES] },
                acmgClass: { type: 'string', enum: [...ACMG_CLASSES], nullable: true },
                version: { type: 'integer' },
                at: { type: 'string', format: 'date-time' },
                by: { type: 'string' },
              },
            },
          },
        },
        Review: {
          type: 'object',
          properties: {
            sampleId: { type: 'string' },
            svId: { type: 'string' },
            state: { type: 'string', enum: [...REVIEW_STATES] },
            acmgClass: { type: 'string', enum: [...ACMG_CLASSES], nullable: true },
            comment: { type: 'string' },
            version: { type: 'integer' },
            at: { type: 'string', format: 'date-time' },
            by: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
            runId: { type: 'string', description: 'the analysis run the SV belonged to' },
            etag: { type: 'string' },
            history: { type: 'array', description: 'earlier versions, oldest first', items: { type: 'object' } },
          },
        },
        AuditEntry: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            at: { type: 'string', format: 'date-time' },
            user: { type: 'string' },
            userId: { type: 'string' },
            roles: { type: 'array', items: { type: 'string' } },
            action: { type: 'string', enum: [...AUDIT_ACTIONS] },
            sampleId: { type: 'string', nullable: true },
            svId: { type: 'string' },
            route: { type: 'string' },
            method: { type: 'string' },
            status: { type: 'integer' },
            clientIp: { type: 'string', nullable: true },
            userAgent: { type: 'string', nullable: true },
            identitySource: { type: 'string', enum: ['app-service', 'local-dev'] },
          },
        },
      },
    },
  };
}
