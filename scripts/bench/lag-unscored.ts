/**
 * LAG's caller without the ML scorer, for the benchmark's "LAG-unscored" row:
 * the same caller code the activities run (scripts/lib/callLocal.ts), in
 * process, with the caller's own filters (LowSupport, NoDepthDrop, ...)
 * as FILTER. Issue 3's criteria are judged on this row ("before any ML
 * scoring"); the LAG row is the full pipeline with the scorer.
 *   node dist/scripts/bench/lag-unscored.js SIM.bam OUT.vcf
 */
import * as fs from 'node:fs';
import { loadScorer } from '../../shared/scoring/model';
import { LAG_VERSION } from '../../shared/version';
import { writeVcf } from '../../shared/vcf/write';
import { callBamLocally } from '../lib/callLocal';

async function main(): Promise<void> {
  const [bam, out] = process.argv.slice(2);
  if (!bam || !out) {
    console.error('usage: lag-unscored.js SIM.bam OUT.vcf');
    process.exit(2);
  }
  const t0 = Date.now();
  const result = await callBamLocally(bam);
  fs.writeFileSync(out, writeVcf({ sampleId: 'unscored', calls: result.calls, contigs: result.contigs, reference: 'unknown', version: LAG_VERSION, commandLine: `lag-unscored ${bam}` }));
  const callSeconds = (Date.now() - t0) / 1000;
  // The scorer's cost, measured apart: model load once, then >= 10,000 candidate scorings (the set repeated).
  const t1 = performance.now();
  const scorer = await loadScorer();
  const loadMs = performance.now() - t1;
  const batch = Array.from({ length: Math.ceil(10_000 / Math.max(1, result.calls.length)) }, () => result.calls).flat();
  const t2 = performance.now();
  if (batch.length > 0) await scorer.probabilities(batch);
  const perThousandMs = batch.length ? ((performance.now() - t2) / batch.length) * 1000 : 0;
  console.log(
    `${result.calls.length} candidates from ${result.reads} reads in ${callSeconds.toFixed(1)} s (in-process caller, no scorer); ` +
      `scorer ${scorer.info.version}: loaded in ${loadMs.toFixed(0)} ms, ${perThousandMs.toFixed(1)} ms per 1,000 candidates (${batch.length} scored)`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
