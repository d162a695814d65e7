/**
 * Training (and held-out evaluation) data for the SV scorer: every candidate
 * LAG's caller makes on simulated genomes, with its feature vector and its
 * label, 1 when it matches a truth event under the benchmark's truvari rules
 * (scripts/bench/truvariMatch.ts: same type, both ends within 500 bp, size
 * similarity >= 0.7, each truth event matched once), else 0. One addition:
 * an insertion whose length is a lower bound (SVLEN_LOWER_BOUND) claims "at
 * least L bp here", and is true when an insertion of at least 0.7 L lies
 * within 500 bp (truvariMatch.ts claimHolds; truvari would compare L with the
 * full length and call it false). Labelled by truvari alone, the model learnt to withdraw real,
 * well-supported insertions because their length was uncertain (seed 46:
 * six of them, one with 53 reads, at probabilities 0.19-0.41). Every
 * candidate counts here, whatever its FILTER or genotype: the scorer decides.
 *
 *   node dist/scripts/train/export-candidates.js OUT.jsonl SETDIR [SETDIR ...]
 *
 * Each SETDIR holds sim.bam(+.bai) and truth.vcf.gz (scripts/train/make-training-sims.sh,
 * scripts/bench/make-sim.sh). One JSON line per candidate:
 * {set, id, type, svlen, filter, label, features: number[]}.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { SvCall } from '../../shared/contracts';
import { featureVector, FEATURE_NAMES } from '../../shared/scoring/features';
import { LAG_VERSION } from '../../shared/version';
import { writeVcf } from '../../shared/vcf/write';
import { claimHolds, compareEvents, parseVcf, prepare } from '../bench/truvariMatch';
import { callBamLocally } from '../lib/callLocal';

/** Labels: which calls match a truth event (truvari's rules), by call id. */
export function labelCalls(calls: SvCall[], contigs: { name: string; length: number }[], truthVcfText: string): Map<string, boolean> {
  // Every candidate is written PASS with a non-reference genotype so that none is left out of the matching.
  const asCandidates = calls.map((c) => ({ ...c, filter: 'PASS', genotype: c.genotype === './.' ? ('0/1' as const) : c.genotype }));
  const vcf = writeVcf({ sampleId: 'candidates', calls: asCandidates, contigs, reference: 'simulated', version: LAG_VERSION, commandLine: 'export-candidates' });
  const truth = prepare(parseVcf(truthVcfText, 'truth'), 'truth');
  const prepared = prepare(parseVcf(vcf, 'candidates'), 'call');
  const cmp = compareEvents(truth, prepared);
  const labels = new Map<string, boolean>(calls.map((c) => [c.id, false]));
  const atLeast = new Set(calls.filter((c) => c.type === 'INS' && c.svlenAtLeast).map((c) => c.id));
  const holds = claimHolds(cmp, (event) => event.records.some((r) => atLeast.has(r.id)));
  cmp.calls.forEach((event, i) => {
    if (!holds[i]) return;
    for (const r of event.records) labels.set(r.id, true);
  });
  return labels;
}

async function main(): Promise<void> {
  const [out, ...sets] = process.argv.slice(2);
  if (!out || sets.length === 0) {
    console.error('usage: export-candidates.js OUT.jsonl SETDIR [SETDIR ...]');
    process.exit(2);
  }
  const lines: string[] = [];
  for (const dir of sets) {
    const t0 = Date.now();
    const result = await callBamLocally(path.join(dir, 'sim.bam'));
    const truthText = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'truth.vcf.gz'))).toString('utf8');
    const labels = labelCalls(result.calls, result.contigs, truthText);
    let positives = 0;
    for (const c of result.calls) {
      const label = labels.get(c.id) ? 1 : 0;
      positives += label;
      lines.push(JSON.stringify({ set: path.basename(dir), id: c.id, type: c.type, svlen: c.svlen, filter: c.filter, label, features: Array.from(featureVector(c), (x) => Math.round(x * 1e5) / 1e5) }));
    }
    console.error(`[export] ${dir}: ${result.calls.length} candidates, ${positives} match the truth (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  fs.writeFileSync(out.replace(/\.jsonl$/, '') + '.features.json', JSON.stringify(FEATURE_NAMES) + '\n');
  console.error(`[export] ${lines.length} candidates -> ${out}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
