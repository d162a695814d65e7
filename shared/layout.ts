/**
 * Where things live in the `results` container, the system of record:
 *   <sampleId>/sample.json                      the sample record (latest run)
 *   <sampleId>/runs/<runId>/profile.json        library profile
 *   <sampleId>/runs/<runId>/units/<chromosome>/<unit>.json   calls of one work unit
 *   <sampleId>/runs/<runId>/failed/<unit>.json  a unit's non-retryable failure
 *   <sampleId>/runs/<runId>/merged.json         merged calls
 *   <sampleId>/runs/<runId>/calls.json          published calls (SvCall[])
 *   <sampleId>/runs/<runId>/<sampleId>.vcf.gz   and .vcf.gz.tbi
 * Cosmos DB is a projection of these files and can be rebuilt from them.
 */
import { InputError } from './errors';

const SAMPLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The sample id of a genome blob: its name without `.bam`, folders joined
 * with `_` (Cosmos ids cannot hold `/`).
 */
export function sampleIdFromBlobName(blobName: string): string {
  const base = blobName.replace(/\.bam$/i, '').replace(/\//g, '_');
  if (!SAMPLE_ID.test(base)) {
    throw new InputError(
      'BAD_SAMPLE_NAME',
      `'${blobName}' cannot name a sample: use letters, digits, '.', '_' or '-' (at most 128), e.g. PATIENT-0042.bam`,
    );
  }
  return base;
}

export function isSampleId(text: string): boolean {
  return SAMPLE_ID.test(text);
}

/** The blob names an index of `x.bam` may have: `x.bam.bai` (preferred) or `x.bai`. */
export function indexCandidates(bamName: string): string[] {
  return [`${bamName}.bai`, bamName.replace(/\.bam$/i, '.bai')];
}

/** The BAM a `.bai` belongs to, or null when the name is not an index name. */
export function bamNameForIndex(baiName: string): string | null {
  if (/\.bam\.bai$/i.test(baiName)) return baiName.slice(0, -4);
  if (/\.bai$/i.test(baiName)) return baiName.replace(/\.bai$/i, '.bam');
  return null;
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

export const layout = {
  sampleRecord: (sampleId: string) => `${sampleId}/sample.json`,
  run: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}`,
  profile: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/profile.json`,
  unitsPrefix: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/units/`,
  unitCalls: (sampleId: string, runId: string, chromosome: string, unitId: string) =>
    `${sampleId}/runs/${runId}/units/${safe(chromosome)}/${safe(unitId)}.json`,
  unitFailure: (sampleId: string, runId: string, unitId: string) => `${sampleId}/runs/${runId}/failed/${safe(unitId)}.json`,
  merged: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/merged.json`,
  calls: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/calls.json`,
  vcf: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/${sampleId}.vcf.gz`,
  tbi: (sampleId: string, runId: string) => `${sampleId}/runs/${runId}/${sampleId}.vcf.gz.tbi`,
};
