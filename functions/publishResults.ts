/**
 * Activity `publishResults`: the VCF (bgzipped + tabix index) and the calls in
 * the results container, then the SV documents in Cosmos, then the sample
 * record as completed — last, so nothing half-written is ever shown complete.
 * Every write is idempotent: a retried activity rewrites the same blobs and
 * upserts the same document ids.
 */
import type { InvocationContext } from '@azure/functions';
import {
  ACTIVITIES,
  type GenomeProfile,
  type PublishResultsInput,
  type PublishResultsOutput,
  type SampleDocument,
  type SvCall,
} from '../shared/contracts';
import { MAX_LOW_MAPQ_FRACTION, MIN_MAPQ } from '../shared/caller/pairs';
import { MIN_FIT_SHARE } from '../shared/cnv/segment';
import { InternalError } from '../shared/errors';
import { annotateSvs } from '../shared/annotation/annotate';
import { layout } from '../shared/layout';
import { countByType, sortByContigOrder } from '../shared/merge';
import { finish, toSvDocument } from '../shared/sampleRecord';
import { writeBgzippedVcfWithIndex } from '../shared/vcf/write';
import { LAG_VERSION } from '../shared/version';
import { deleteSvCallsNotInRun, upsertSvCalls } from './adapters/cosmos';
import { updateSampleRecord } from './adapters/sampleRecords';
import { readResultJson, tryReadResultJson, writeResultBuffer, writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

export async function publishResults(input: PublishResultsInput, context: InvocationContext): Promise<PublishResultsOutput> {
  const { sampleId, runId } = input;
  const profile = await readResultJson<GenomeProfile>(input.profileBlob);
  const sorted = sortByContigOrder(
    await readResultJson<SvCall[]>(input.mergedBlob),
    profile.contigs.map((c) => c.name),
  );
  // Genes, cytobands and ISCN for the biologists (an unknown build gets a "could not assess" note).
  const annotations = annotateSvs(sorted, profile.build);
  const calls = sorted.map((c, i) => ({ ...c, annotation: annotations[i]! }));
  const warnings = [...new Set(input.warnings)];

  const { vcfGz, tbi } = writeBgzippedVcfWithIndex({
    sampleId,
    contigs: profile.contigs,
    calls,
    reference: profile.build ?? 'unknown',
    warnings,
    commandLine: `lag analyzeGenome ${input.genome.bam.container}/${input.genome.bam.name} run=${runId}`,
    version: LAG_VERSION,
    filterDescriptions: {
      LowProb: "The SV scorer's calibrated probability (INFO/PROB) is below its threshold for this SV type",
      NoDepthDrop: 'Read pairs suggest a deletion but the read depth does not drop',
      NoDepthGain: 'Read pairs suggest a duplication but the read depth does not rise',
      LowSupport: 'Too few supporting reads or pairs for the evidence type',
      UnevenDepth: `A depth-only copy-number change in a work unit where under ${Math.round(MIN_FIT_SHARE * 100)} % of the 10 kb bins sit at a whole copy number: the depth there cannot be read as copy number (a BAM cut to regions, a very noisy library)`,
      LowMappability: `A depth-only copy-number change where over ${MAX_LOW_MAPQ_FRACTION * 100} % of the reads map ambiguously (MAPQ < ${MIN_MAPQ}): the depth there cannot be assessed`,
    },
  });
  const paths = { vcf: layout.vcf(sampleId, runId), tbi: layout.tbi(sampleId, runId), calls: layout.calls(sampleId, runId) };
  await writeResultBuffer(paths.vcf, vcfGz, 'application/gzip');
  await writeResultBuffer(paths.tbi, tbi, 'application/octet-stream');
  await writeResultJson(paths.calls, calls);

  const current = await tryReadResultJson<SampleDocument>(layout.sampleRecord(sampleId));
  if (!current) throw new InternalError('SAMPLE_RECORD_MISSING', `${sampleId}: the sample record disappeared during run ${runId}`);
  if (current.runId !== runId) {
    context.warn(`${sampleId}: run ${runId} finished after a newer run (${current.runId}) started; its results are kept but not shown`);
    return { vcfBlob: paths.vcf, calls: calls.length };
  }
  await upsertSvCalls(calls.map((c) => toSvDocument(sampleId, runId, c)));
  const removed = await deleteSvCallsNotInRun(sampleId, runId);
  if (removed > 0) context.log(`${sampleId}: removed ${removed} calls of earlier runs from the index`);

  const now = new Date();
  const stored = await updateSampleRecord(sampleId, (latest) =>
    latest && latest.runId === runId
      ? {
          ...latest,
          status: 'completed',
          stage: 'completed',
          progress: { done: latest.progress.total, total: latest.progress.total },
          countsByType: countByType(calls),
          totalCalls: calls.length,
          warnings,
          error: null,
          results: paths,
          timings: finish(latest.timings, now),
          updatedAt: now.toISOString(),
        }
      : null,
  );
  if (!stored) context.warn(`${sampleId}: a newer run started while run ${runId} was publishing; its results are kept but not shown`);
  context.log(`${sampleId}: published ${calls.length} calls (${paths.vcf})`);
  return { vcfBlob: paths.vcf, calls: calls.length };
}

registerActivity(ACTIVITIES.publishResults, publishResults);
