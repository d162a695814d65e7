/**
 * The SV scorer: the committed ONNX model against the trainer's own
 * probabilities (model/check.json, written by scripts/train/train.py), how a
 * probability becomes FILTER/QUAL, and the errors for a missing, corrupt or
 * mismatched model.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SvCall } from '../../shared/contracts';
import { isLagError } from '../../shared/errors';
import { featureVector, FEATURE_NAMES, FEATURES } from '../../shared/scoring/features';
import { NO_COPY_LEFT_FOLD, betweenWholeCopies, callClass, notJudgedReason, outsideDomain, outsideTraining } from '../../shared/scoring/domain';
import { applyScore, DEFAULT_MODEL_DIR, joinBreakendScores, loadScorer, MODEL_FILE, MODEL_INFO_FILE, type ModelInfo } from '../../shared/scoring/model';
import { qualFromProbability } from '../../shared/scoring/qual';
import { writeVcf } from '../../shared/vcf/write';

const MODEL = path.join(__dirname, '..', '..', 'model');

function call(over: Partial<SvCall> = {}): SvCall {
  return {
    id: 'DEL-1-1000-2000', chrom: '1', start: 1000, end: 2000, type: 'DEL', svlen: 1000, ciPos: [0, 0], ciEnd: [0, 0], precise: true,
    genotype: '0/1', genotypeQuality: 60, pairedEnd: 8, splitReads: 6, depthFoldChange: 0.5, copyNumber: 1, score: 0.6, filter: 'PASS',
    ...over,
  };
}

describe('the committed model', () => {
  test('is the one the app loads by default, and was trained on the features this code computes', async () => {
    expect(path.resolve(DEFAULT_MODEL_DIR)).toBe(path.resolve(MODEL));
    const scorer = await loadScorer(MODEL);
    expect(scorer.info.features).toEqual(FEATURE_NAMES);
    expect(Object.keys(scorer.info.thresholds).sort()).toEqual(['BND', 'DEL', 'DUP', 'INS', 'INV']);
  });

  test('onnxruntime gives the probabilities scikit-learn gave the same inputs (ONNX round trip)', async () => {
    const check = JSON.parse(fs.readFileSync(path.join(MODEL, 'check.json'), 'utf8')) as { features: number[][]; probability: number[] };
    expect(check.features.length).toBeGreaterThanOrEqual(20);
    const scorer = await loadScorer(MODEL);
    const got = await scorer.probabilitiesOfFeatures(Float32Array.from(check.features.flat()), check.features.length);
    got.forEach((p, i) => expect(Math.abs(p - check.probability[i]!)).toBeLessThan(1e-4));
  });

  test('the same call scores the same through features and through rows, in one batch or many', async () => {
    const scorer = await loadScorer(MODEL);
    const calls = [call(), call({ type: 'INS', svlen: 300, precise: false, pairedEnd: 0, depthFoldChange: null }), call({ splitReads: 0, pairedEnd: 2, filter: 'LowSupport' })];
    const a = await scorer.probabilities(calls);
    const b = await scorer.probabilitiesOfFeatures(Float32Array.from(calls.flatMap((c) => Array.from(featureVector(c)))), calls.length);
    expect(a).toEqual(b);
    // Batches of 512 rows: every row scored as itself. (onnxruntime may sum a batch's trees in another
    // order than one row's: float32 rounding, far below any threshold's resolution.)
    const many = await scorer.probabilities(Array.from({ length: 1200 }, () => calls[1]!));
    for (const p of many) expect(Math.abs(p - a[1]!)).toBeLessThan(1e-6);
  });
});

describe('features', () => {
  test('one finite value per documented feature, with units', () => {
    expect(FEATURES.every((f) => f.unit && f.description)).toBe(true);
    const v = featureVector(call({ evidence: undefined, depthFoldChange: null }));
    expect(v).toHaveLength(FEATURES.length);
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
  });
  test('missing evidence reads as neutral values, not as zeros that look like bad evidence', () => {
    const v = featureVector(call({ depthFoldChange: null }));
    const at = (n: string) => v[FEATURE_NAMES.indexOf(n)];
    expect(at('depth_fold')).toBe(1);
    expect(at('depth_measured')).toBe(0);
    expect(at('flank_complexity')).toBe(1);
    expect(at('is_del')).toBe(1);
    expect(at('log10_svlen')).toBeCloseTo(Math.log10(1001), 5);
  });
});

describe('from probability to FILTER and QUAL', () => {
  const info: ModelInfo = { version: 't1', features: [...FEATURE_NAMES], thresholds: { DEL: 0.3, DUP: 0.5, INV: 0.5, INS: 0.7, BND: 0.5 } };
  test("each type's threshold decides PASS or LowProb", () => {
    expect(applyScore(call(), 0.31, info)).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', score: 0.31, modelVersion: 't1' });
    expect(applyScore(call({ type: 'INS' }), 0.69, info)).toMatchObject({ filter: 'LowProb', callerFilter: 'PASS' });
  });
  test("the model never rescues a call the caller's evidence rules rejected", () => {
    expect(applyScore(call({ filter: 'LowSupport' }), 0.99, info)).toMatchObject({ filter: 'LowSupport', callerFilter: 'LowSupport', score: 0.99 });
    expect(applyScore(call({ filter: 'NoDepthDrop' }), 0.1, info)).toMatchObject({ filter: 'NoDepthDrop' });
  });
  test('QUAL is the capped Phred of the probability of error', () => {
    expect(qualFromProbability(0.9)).toBe(10);
    expect(qualFromProbability(0.999)).toBe(30);
    expect(qualFromProbability(1)).toBe(99);
    expect(qualFromProbability(0)).toBe(0);
  });
  test('the two sides of a joined breakend pair share one probability: the better-supported side\'s, else the mean', () => {
    const side = (id: string, mate: string, reads: number, p: number) =>
      applyScore(call({ id, type: 'BND', svlen: 0, pairedEnd: reads, splitReads: 0, mate: { chrom: '2', pos: 5, id: mate } }), p, info);
    // As many reads on both sides: the mean.
    let [x, y] = joinBreakendScores([side('a', 'b', 6, 0.9), side('b', 'a', 6, 0.2)], info);
    expect(x!.score).toBeCloseTo(0.55, 6);
    expect(y!.score).toBeCloseTo(0.55, 6);
    expect(x!.filter).toBe('PASS');
    // One side in a repeat saw 2 reads, the other 9: the clearer view decides, for both records.
    [x, y] = joinBreakendScores([side('a', 'b', 9, 0.9), side('b', 'a', 2, 0.1)], info);
    expect(x!.score).toBeCloseTo(0.9, 6);
    expect(y!.score).toBeCloseTo(0.9, 6);
    expect(x!.filter).toBe('PASS');
    [x, y] = joinBreakendScores([side('a', 'b', 2, 0.9), side('b', 'a', 9, 0.1)], info);
    expect(x!.score).toBeCloseTo(0.1, 6);
    expect(x!.filter).toBe('LowProb');
  });
});

describe('the model judges only genomes like those it learnt from', () => {
  const domain = { minDepth: 8, maxDepth: 75, needsSplitReads: true };
  const info: ModelInfo = { version: 't1', features: [...FEATURE_NAMES], thresholds: { DEL: 0.3, DUP: 0.5, INV: 0.5, INS: 0.7, BND: 0.5 }, domain };
  test('a whole genome at 30x with split reads is inside', () => {
    expect(outsideDomain(domain, { meanDepth: 30, readsScanned: 2_000_000, splitReads: 551 })).toBeNull();
  });
  test('a BAM cut to target regions (depth from the index far below the reads) is outside, and says so', () => {
    expect(outsideDomain(domain, { meanDepth: 0.03, readsScanned: 50_000, splitReads: 120 })).toMatch(/depth \(0\.0x from the index\) is outside the 8-75x/);
  });
  test('a BAM without a single SA tag is outside once enough reads were seen; a tiny unit is not judged on that', () => {
    expect(outsideDomain(domain, { meanDepth: 30, readsScanned: 100_000, splitReads: 0 })).toMatch(/SA tag/);
    expect(outsideDomain(domain, { meanDepth: 30, readsScanned: 500, splitReads: 0 })).toBeNull();
  });
  test('a unit whose depth is too uneven to read as copy number is outside: the depth features mean nothing there', () => {
    expect(outsideDomain(domain, { meanDepth: 9.3, readsScanned: 200_000, splitReads: 1_500, depthUneven: true })).toMatch(/too uneven to read as copy number/);
    expect(outsideDomain(domain, { meanDepth: 9.3, readsScanned: 200_000, splitReads: 1_500, depthUneven: false })).toBeNull();
  });
  test('a model without a recorded domain judges every genome', () => {
    expect(outsideDomain(undefined, { meanDepth: 0.1, readsScanned: 100_000, splitReads: 0 })).toBeNull();
  });
  test('outside its domain the score is shown but the caller\'s FILTER stands, also for joined breakends', () => {
    const c = applyScore(call(), 0.01, info, 'genome');
    expect(c).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', score: 0.01, modelApplied: false });
    const side = (id: string, mate: string, p: number) =>
      applyScore(call({ id, type: 'BND', svlen: 0, pairedEnd: 9, splitReads: 0, mate: { chrom: '2', pos: 5, id: mate } }), p, info, 'genome');
    const [x] = joinBreakendScores([side('a', 'b', 0.05), side('b', 'a', 0.05)], info);
    expect(x!.filter).toBe('PASS');
  });
});

describe('depth-only copy-number changes are shown, not judged (the model never learnt them)', () => {
  test('a 191 kb duplication seen by depth alone keeps the caller\'s PASS whatever its probability; the same call with pairs is judged', async () => {
    const scorer = await loadScorer(MODEL);
    const depthOnly = call({ id: 'DUP-1-680000-840000', type: 'DUP', start: 680_000, end: 840_000, svlen: 160_000, precise: false, pairedEnd: 0, splitReads: 0, depthFoldChange: 1.48, copyNumber: 3, ciPos: [-10_000, 10_000], ciEnd: [-10_000, 10_000] });
    expect(outsideTraining(depthOnly)).toBe(true);
    const withPairs = { ...depthOnly, pairedEnd: 12, splitReads: 6, precise: true, ciPos: [0, 0] as [number, number], ciEnd: [0, 0] as [number, number] };
    expect(outsideTraining(withPairs)).toBe(false);
    const [d, j] = await scorer.score([depthOnly, withPairs]);
    expect(d).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', modelApplied: false, modelNotAppliedReason: 'depthOnly' });
    expect(Number.isFinite(d!.score)).toBe(true);
    expect(j!.modelApplied).toBe(true);
    // A filter of the caller's own stands too, and a junction-only call or an inversion is judged.
    const [u] = await scorer.score([{ ...depthOnly, filter: 'UnevenDepth', genotype: './.' }]);
    expect(u).toMatchObject({ filter: 'UnevenDepth', modelApplied: false });
    expect(outsideTraining(call({ depthFoldChange: null, pairedEnd: 0, splitReads: 5 }))).toBe(false);
    expect(outsideTraining(call({ type: 'INV', pairedEnd: 0, splitReads: 0, depthFoldChange: null }))).toBe(false);
    // The VCF says the probability was not applied to it.
    expect(writeVcf({ sampleId: 'S', calls: [d!], contigs: [{ name: '1', length: 1_000_000 }], reference: 't', version: '0', commandLine: 't' })).toMatch(/SVCLAIM=D;PROB=[0-9.]+;PROB_NOT_APPLIED/);
  });
});

describe('large losses and gains between whole copy numbers (mosaic) are shown, not judged (every training event is constitutional)', () => {
  // Seed 42 with its SVs in half the cells (scripts/bench/make-mosaic.sh): a true 184 kb deletion on 8 pairs at depth fold 0.732.
  const evidence = { altReads: 8, refReads: 30, clipReads: 0, splitMapq: null, splitNm: null, forwardFraction: null, pairMapq: 60, clipQuality: null, flankGc: null, flankComplexity: null, nearby: 0, genotypeLogRatio: 5, contigDepth: 30, depthLogRatio: 20, depthBetweenCopiesLogRatio: 99 };
  const mosaic = call({ id: 'DEL-20-8134385-8318558', chrom: '20', type: 'DEL', start: 8_134_385, end: 8_318_558, svlen: 184_173, precise: false, pairedEnd: 8, splitReads: 0, depthFoldChange: 0.732, copyNumber: 1, ciPos: [-320, 320], ciEnd: [-320, 320], evidence });
  test('copy number 0.2 or more from a whole number, on the claimed side, surely so by the read starts, with 6 reads', () => {
    expect(betweenWholeCopies(mosaic)).toBe(true);
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: 0.875 })).toBe(true); // a quarter of the cells
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: 0.5 })).toBe(false); // heterozygous: 1 copy
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: 0.55 })).toBe(false); // 1.1 copies: within 0.2 of 1
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: 0.95 })).toBe(false); // 1.9 copies: within 0.2 of 2
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: 1.3 })).toBe(false); // a deletion whose depth rose
    expect(betweenWholeCopies({ ...mosaic, depthFoldChange: null })).toBe(false);
    expect(betweenWholeCopies({ ...mosaic, evidence: { ...evidence, depthBetweenCopiesLogRatio: 4.9 } })).toBe(false); // too few read starts to say
    expect(betweenWholeCopies({ ...mosaic, evidence: { ...evidence, depthBetweenCopiesLogRatio: undefined } })).toBe(false);
    expect(betweenWholeCopies({ ...mosaic, pairedEnd: 2 })).toBe(false); // seed 56's 1.9 Mb false deletion on 2 pairs, fold 0.67
    expect(betweenWholeCopies({ ...mosaic, pairedEnd: 3, splitReads: 3 })).toBe(true);
    expect(betweenWholeCopies({ ...mosaic, type: 'DUP', depthFoldChange: 1.25 })).toBe(true); // 2.5 copies
    expect(betweenWholeCopies({ ...mosaic, type: 'DUP', depthFoldChange: 1.5 })).toBe(false);
    expect(betweenWholeCopies({ ...mosaic, type: 'DUP', depthFoldChange: 0.7 })).toBe(false);
    expect(betweenWholeCopies({ ...mosaic, type: 'INV', depthFoldChange: 0.7 })).toBe(false);
    expect(outsideTraining(mosaic)).toBe(true);
  });
  test('the shipped model: the mosaic deletion keeps the caller\'s PASS, its probability shown; the same deletion at one whole copy is judged', async () => {
    const scorer = await loadScorer(MODEL);
    const [m, whole] = await scorer.score([mosaic, { ...mosaic, depthFoldChange: 0.5 }]);
    expect(m).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', modelApplied: false, modelNotAppliedReason: 'betweenCopies' });
    expect(Number.isFinite(m!.score)).toBe(true);
    expect(whole!.modelApplied).toBe(true);
    expect(whole!.modelNotAppliedReason).toBeUndefined();
    expect(writeVcf({ sampleId: 'S', calls: [m!], contigs: [{ name: '20', length: 11_000_000 }], reference: 't', version: '0', commandLine: 't' })).toMatch(/DHFFC=0.732;SVCLAIM=DJ;PROB=[0-9.]+;PROB_NOT_APPLIED;PROB_NOT_APPLIED_WHY=betweenCopies\t/);
  });
});

describe('a call the model does not judge says why (modelNotAppliedReason, shown in the workspace)', () => {
  test('each rule has its reason; a judged call has none; a genome outside the domain is the reason when the unit is not judged', async () => {
    const domain = { minDepth: 8, maxDepth: 75, needsSplitReads: true, classes: { 'INV/precise': 579, 'DEL/precise': 900, 'DEL/imprecise': 33 }, minClassCandidates: 10 };
    expect(notJudgedReason(call({ pairedEnd: 0, splitReads: 0, depthFoldChange: 0.5 }), domain)).toBe('depthOnly');
    expect(notJudgedReason(call({ type: 'INV', precise: false, pairedEnd: 45, splitReads: 0, depthFoldChange: null }), domain)).toBe('fewExamples');
    const between = call({ pairedEnd: 8, splitReads: 2, depthFoldChange: 0.74, evidence: { altReads: 8, refReads: 30, clipReads: 0, splitMapq: null, splitNm: null, forwardFraction: null, pairMapq: 60, clipQuality: null, flankGc: null, flankComplexity: null, nearby: 0, genotypeLogRatio: 5, depthBetweenCopiesLogRatio: 40 } });
    expect(notJudgedReason(between, domain)).toBe('betweenCopies');
    expect(notJudgedReason(call(), domain)).toBeNull();
    const scorer = await loadScorer(MODEL);
    const [judged] = await scorer.score([call()]);
    expect(judged!.modelNotAppliedReason).toBeUndefined();
    const [off] = await scorer.score([call()], false);
    expect(off).toMatchObject({ modelApplied: false, modelNotAppliedReason: 'genome' });
    // Scored again inside the domain, the old reason goes.
    expect(applyScore(off!, 0.9, scorer.info)).not.toHaveProperty('modelNotAppliedReason');
  });
});

describe('kinds of call the model saw too few of in training are shown, not judged', () => {
  const domain = { minDepth: 8, maxDepth: 75, needsSplitReads: true, classes: { 'INV/precise': 579, 'DEL/imprecise': 33, 'DUP/imprecise': 9 }, minClassCandidates: 10 };
  test('a kind with fewer caller-passed training candidates than the minimum (or none) is outside; one with enough is judged', () => {
    expect(callClass(call({ type: 'INV', precise: false }))).toBe('INV/imprecise');
    expect(outsideTraining(call({ type: 'INV', precise: false, pairedEnd: 45, splitReads: 0, depthFoldChange: null }), domain)).toBe(true);
    expect(outsideTraining(call({ type: 'INV', precise: true, pairedEnd: 20, splitReads: 8, depthFoldChange: null }), domain)).toBe(false);
    expect(outsideTraining(call({ type: 'DUP', precise: false, pairedEnd: 6, splitReads: 0, depthFoldChange: 1.5 }), domain)).toBe(true);
    expect(outsideTraining(call({ type: 'DEL', precise: false, pairedEnd: 6, splitReads: 0, depthFoldChange: 0.5 }), domain)).toBe(false);
    // A model that recorded no kinds (before 20261129-14) judges every kind but depth-only changes.
    expect(outsideTraining(call({ type: 'INV', precise: false, pairedEnd: 45, splitReads: 0, depthFoldChange: null }), { minDepth: 8, maxDepth: 75, needsSplitReads: true })).toBe(false);
  });
  test('the shipped model: a 572 kb inversion on 45 pairs (its ends in repeats, no split read) keeps the caller\'s PASS with its probability shown', async () => {
    const scorer = await loadScorer(MODEL);
    expect(scorer.info.domain?.classes?.['INV/imprecise'] ?? 0).toBeLessThan(scorer.info.domain!.minClassCandidates!);
    const inv = call({ id: 'INV-20-349196-921249', chrom: '20', type: 'INV', start: 349_196, end: 921_249, svlen: 572_053, precise: false, pairedEnd: 45, splitReads: 0, depthFoldChange: null, copyNumber: null, genotype: '1/1', ciPos: [-320, 320], ciEnd: [-320, 320] });
    const [s] = await scorer.score([inv]);
    expect(s).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', modelApplied: false });
    expect(Number.isFinite(s!.score)).toBe(true);
    expect(writeVcf({ sampleId: 'S', calls: [s!], contigs: [{ name: '20', length: 63_025_520 }], reference: 't', version: '0', commandLine: 't' })).toMatch(/PROB=[0-9.]+;PROB_NOT_APPLIED/);
  });
  test('an imprecise deletion with no copy left (depth fold under 0.25) is a kind of its own; a precise one, or one at one copy, is not', () => {
    expect(callClass(call({ type: 'DEL', precise: false, depthFoldChange: 0 }))).toBe('DEL/imprecise/noCopyLeft');
    expect(callClass(call({ type: 'DEL', precise: false, depthFoldChange: 0.24 }))).toBe('DEL/imprecise/noCopyLeft');
    expect(callClass(call({ type: 'DEL', precise: false, depthFoldChange: NO_COPY_LEFT_FOLD }))).toBe('DEL/imprecise');
    expect(callClass(call({ type: 'DEL', precise: false, depthFoldChange: null }))).toBe('DEL/imprecise');
    expect(callClass(call({ type: 'DEL', precise: true, depthFoldChange: 0 }))).toBe('DEL/precise');
    expect(callClass(call({ type: 'DUP', precise: false, depthFoldChange: 0.1 }))).toBe('DUP/imprecise');
    // A model records the bound its kinds were counted with, and calls are sorted by it.
    expect(callClass(call({ type: 'DEL', precise: false, depthFoldChange: 0.24 }), { ...domain, noCopyLeftFold: 0.2 })).toBe('DEL/imprecise');
    // Counted apart from DEL/imprecise: enough of those does not make it judged.
    expect(notJudgedReason(call({ type: 'DEL', precise: false, pairedEnd: 5, splitReads: 0, depthFoldChange: 0 }), domain)).toBe('fewExamples');
    expect(notJudgedReason(call({ type: 'DEL', precise: false, pairedEnd: 5, splitReads: 0, depthFoldChange: 0.5 }), domain)).toBeNull();
  });
  test('the shipped model: a homozygous 566 bp deletion on 5 pairs with its ends in repeats (seed 42) keeps the caller\'s PASS', async () => {
    const scorer = await loadScorer(MODEL);
    expect(scorer.info.domain?.classes?.['DEL/imprecise/noCopyLeft'] ?? 0).toBeLessThan(scorer.info.domain!.minClassCandidates!);
    // Training (train.py) counted the kinds with the bound the code sorts calls by.
    expect(scorer.info.domain?.noCopyLeftFold).toBe(NO_COPY_LEFT_FOLD);
    const del = call({ id: 'DEL-1-353469-354035', chrom: '1', type: 'DEL', start: 353_469, end: 354_035, svlen: 566, precise: false, pairedEnd: 5, splitReads: 0, depthFoldChange: 0, copyNumber: 0, genotype: '1/1', ciPos: [-200, 200], ciEnd: [-200, 200] });
    const [s] = await scorer.score([del]);
    expect(s).toMatchObject({ filter: 'PASS', callerFilter: 'PASS', modelApplied: false, modelNotAppliedReason: 'fewExamples' });
    expect(Number.isFinite(s!.score)).toBe(true);
  });
});

describe('a missing or broken model fails with a reason, never scores silently', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-model-'));
  const dir = (name: string, files: Record<string, string | Buffer>) => {
    const d = path.join(tmp, name);
    fs.mkdirSync(d, { recursive: true });
    for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(d, f), content);
    return d;
  };
  const info = fs.readFileSync(path.join(MODEL, MODEL_INFO_FILE), 'utf8');
  const expectFault = async (d: string, code: string, message: RegExp) => {
    const e: unknown = await loadScorer(d).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isLagError(e)).toBe(true);
    if (!isLagError(e)) return;
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/not published unscored/);
  };
  test('no model directory at all', () => expectFault(path.join(tmp, 'nowhere'), 'MODEL_MISSING', /sv-scorer\.json cannot be read/));
  test('the description without the ONNX file', () => expectFault(dir('no-onnx', { [MODEL_INFO_FILE]: info }), 'MODEL_MISSING', /sv-scorer\.onnx is missing/));
  test('an ONNX file that is not a model', () =>
    expectFault(dir('garbage', { [MODEL_INFO_FILE]: info, [MODEL_FILE]: Buffer.from('not an onnx model at all') }), 'MODEL_CORRUPT', /cannot be loaded by onnxruntime/));
  test('a truncated ONNX file', () => {
    const bytes = fs.readFileSync(path.join(MODEL, MODEL_FILE));
    return expectFault(dir('truncated', { [MODEL_INFO_FILE]: info, [MODEL_FILE]: bytes.subarray(0, bytes.length >> 1) }), 'MODEL_CORRUPT', /cannot be loaded/);
  });
  test('a description that is not JSON', () => expectFault(dir('bad-json', { [MODEL_INFO_FILE]: '{ nope', [MODEL_FILE]: 'x' }), 'MODEL_CORRUPT', /not valid JSON/));
  test('a model trained on other features', () => {
    const other = JSON.stringify({ ...JSON.parse(info), features: ['a', 'b'] });
    return expectFault(dir('features', { [MODEL_INFO_FILE]: other, [MODEL_FILE]: fs.readFileSync(path.join(MODEL, MODEL_FILE)) }), 'MODEL_FEATURES', /trained on other features/);
  });
  test('a fixed model directory is picked up by the next attempt (failures are not cached)', async () => {
    const d = dir('later', {});
    await expectFault(d, 'MODEL_MISSING', /cannot be read/);
    fs.copyFileSync(path.join(MODEL, MODEL_INFO_FILE), path.join(d, MODEL_INFO_FILE));
    fs.copyFileSync(path.join(MODEL, MODEL_FILE), path.join(d, MODEL_FILE));
    await expect(loadScorer(d)).resolves.toBeDefined();
  });
});
