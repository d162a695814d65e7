/**
 * Activity `callChromosome`: scans one work unit of the BAM straight from
 * Blob Storage, window by window, feeds the SV caller and stores its calls.
 */
import type { InvocationContext } from '@azure/functions';
import { openAlignment } from '../shared/bam/open';
import { DEFAULT_SCAN_WINDOW, scanRegion } from '../shared/bam/scan';
import { createSvCaller } from '../shared/caller/caller';
import {
  ACTIVITIES,
  type CallChromosomeInput,
  type CallChromosomeOutput,
  type GenomeProfile,
} from '../shared/contracts';
import { asLagError, fromWireMessage, InternalError, toWireMessage } from '../shared/errors';
import { layout } from '../shared/layout';
import { outsideDomain } from '../shared/scoring/domain';
import { loadScorer } from '../shared/scoring/model';
import { openGenome } from './adapters/genomes';
import { readResultJson, tryReadResultJson, writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

/** Log progress about every this many bases scanned. */
const PROGRESS_EVERY = 10_000_000;

/**
 * The host retries every failure of a fanned-out activity (its retry options
 * cannot filter by error). A failure that retrying cannot fix — the user's
 * file — is recorded on the first attempt and re-thrown at once on the next
 * ones, so a bad BAM is never scanned twice.
 */
export async function callChromosome(input: CallChromosomeInput, context: InvocationContext): Promise<CallChromosomeOutput> {
  const marker = layout.unitFailure(input.sampleId, input.runId, input.unit.id);
  const earlier = await tryReadResultJson<{ wire: string }>(marker);
  if (earlier) {
    context.warn(`${input.unit.id}: failed before for a reason retrying cannot fix; not scanning again`);
    throw fromWireMessage(earlier.wire) ?? new InternalError('UNIT_FAILED', earlier.wire);
  }
  try {
    return await scanUnit(input, context);
  } catch (e) {
    const err = asLagError(e);
    err.message = `${input.unit.id}: ${err.message}`;
    if (!err.retryable) await writeResultJson(marker, { wire: toWireMessage(err) });
    throw err;
  }
}

async function scanUnit(input: CallChromosomeInput, context: InvocationContext): Promise<CallChromosomeOutput> {
  const { sampleId, runId, genome, unit } = input;
  const profile = await readResultJson<GenomeProfile>(input.profileBlob);
  const handles = openGenome(genome);
  const aln = await openAlignment(handles.bam, handles.bai, { bam: genome.bam.name, bai: genome.bai.name });
  const meanDepth = profile.coverage.find((c) => c.contig === unit.contig)?.meanDepth ?? 0;
  const caller = createSvCaller({
    unit,
    library: profile.library,
    expectedDepth: meanDepth,
    contigNames: aln.header.contigs.map((c) => c.name),
  });

  let nextLog = PROGRESS_EVERY;
  const started = Date.now();
  const readsScanned = await scanRegion(aln.bam, genome.bam.name, unit.contig, unit.start, unit.end, (r) => caller.observe(r), {
    windowSize: DEFAULT_SCAN_WINDOW,
    onProgress: (done, total) => {
      if (done >= nextLog || done === total) {
        context.log(`${sampleId} ${unit.id}: ${((100 * done) / total).toFixed(0)}% scanned`);
        nextLog += PROGRESS_EVERY;
      }
    },
  });
  const scanned = Date.now();
  const result = caller.finish();
  // Every candidate is scored by the model (loaded once per worker); a missing model fails the unit.
  const scorer = await loadScorer();
  // Outside what the model learnt from, its scores are shown but the caller's FILTER stands.
  const outside = outsideDomain(scorer.info.domain, {
    meanDepth,
    readsScanned,
    splitReads: result.stats.splitReads ?? 0,
    depthUneven: result.stats.depthUneven === 1,
  });
  const calls = await scorer.score(result.calls, outside === null);
  const warnings = outside === null ? result.warnings : [...result.warnings, `${unit.id}: the SV scorer's FILTER is not applied: ${outside}`];
  context.log(`${sampleId} ${unit.id}: scan ${((scanned - started) / 1000).toFixed(1)} s, calling ${((Date.now() - scanned) / 1000).toFixed(1)} s`);
  const callsBlob = layout.unitCalls(sampleId, runId, unit.chromosome, unit.id);
  await writeResultJson(callsBlob, calls);
  const passing = calls.filter((c) => c.filter === 'PASS').length;
  context.log(`${sampleId} ${unit.id}: ${readsScanned} reads, ${calls.length} candidates, ${passing} PASS with model ${scorer.info.version}`);
  return { unitId: unit.id, callsBlob, calls: calls.length, readsScanned, warnings };
}

registerActivity(ACTIVITIES.callChromosome, callChromosome);
