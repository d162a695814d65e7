/**
 * The SV scorer at inference time: the ONNX model trained by `npm run train`
 * (model/sv-scorer.onnx, with its card model/MODEL.md and its thresholds in
 * model/sv-scorer.json), run through onnxruntime-node.
 *
 * - The session is created lazily, once per worker process and model
 *   directory (app start-up stays fast; the first scoring pays ~50 ms).
 * - Candidates are scored in batches, one tensor [n, features] per batch.
 * - A missing, unreadable or mismatched model fails the work with a clear
 *   reason (UnsupportedError: retrying cannot fix it). Calls are never
 *   published unscored.
 *
 * Each call gets `score` = the calibrated probability that it is a real SV,
 * `modelVersion`, and FILTER: LowProb when the probability is under its
 * type's threshold; a call the caller itself filtered keeps that filter
 * (kept in `callerFilter` too).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { SvCall, SvType } from '../contracts';
import { type ModelDomain, type NotJudgedReason, notJudgedReason } from './domain';
import { UnsupportedError } from '../errors';
import { findPackageRoot } from '../packageRoot';
import { featureMatrix, FEATURE_NAMES } from './features';

/** model/ at the package root (this file runs from dist/shared/scoring/ or, in tests, shared/scoring/). */
export const DEFAULT_MODEL_DIR = path.join(findPackageRoot(__dirname) ?? path.resolve(__dirname, '..', '..'), 'model');

export const MODEL_FILE = 'sv-scorer.onnx';
export const MODEL_INFO_FILE = 'sv-scorer.json';
/** Candidates per inference call. */
const BATCH = 512;
export interface ModelInfo {
  version: string;
  features: string[];
  thresholds: Partial<Record<SvType, number>>;
  /** The genomes the model may judge (shared/scoring/domain.ts); absent in older models: any. */
  domain?: ModelDomain;
}

export interface Scorer {
  readonly info: ModelInfo;
  /** Calibrated probabilities of the calls, in order. */
  probabilities(calls: readonly SvCall[]): Promise<number[]>;
  /** Probabilities of feature rows given directly (FEATURES order): for checks against the trainer. */
  probabilitiesOfFeatures(rows: Float32Array, n: number): Promise<number[]>;
  /**
   * The calls with score, modelVersion and FILTER set from the model; with
   * `applies` false (a genome outside the model's domain), the score is set
   * and the FILTER stays the caller's.
   */
  score(calls: readonly SvCall[], applies?: boolean): Promise<SvCall[]>;
}

/**
 * The call as the model judges it. The model can only withdraw a call: a
 * candidate the caller's own evidence rules rejected (LowSupport,
 * NoDepthDrop, ...) keeps that FILTER whatever its probability. The model
 * learnt from simulated genomes, where such candidates are mostly real; in
 * real libraries they are mostly artefacts, and a confident wrong call
 * harms more than a missing one. With `notJudged` (why the model may not judge
 * it: domain.ts) the probability is shown and the caller's FILTER stands.
 */
export function applyScore(call: SvCall, probability: number, info: ModelInfo, notJudged?: NotJudgedReason): SvCall {
  const threshold = info.thresholds[call.type] ?? 0.5;
  const callerFilter = call.callerFilter ?? call.filter;
  const applies = notJudged === undefined;
  const { modelNotAppliedReason: _previous, ...rest } = call;
  return {
    ...rest,
    score: Math.round(probability * 1e4) / 1e4,
    modelVersion: info.version,
    modelApplied: applies,
    ...(applies ? {} : { modelNotAppliedReason: notJudged }),
    callerFilter,
    filter: callerFilter !== 'PASS' || !applies ? callerFilter : probability >= threshold ? 'PASS' : 'LowProb',
  };
}

function modelError(code: string, message: string, cause?: unknown): UnsupportedError {
  return new UnsupportedError(code, `${message}; the calls cannot be scored, so the sample is not published unscored (reinstall model/ from the release, or run npm run train)`, cause === undefined ? undefined : { cause });
}

function readInfo(dir: string): ModelInfo {
  const file = path.join(dir, MODEL_INFO_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw modelError('MODEL_MISSING', `the SV scoring model's description ${file} cannot be read (${(e as Error).message})`, e);
  }
  let info: ModelInfo;
  try {
    info = JSON.parse(text) as ModelInfo;
  } catch (e) {
    throw modelError('MODEL_CORRUPT', `the SV scoring model's description ${file} is not valid JSON`, e);
  }
  if (typeof info.version !== 'string' || !Array.isArray(info.features) || typeof info.thresholds !== 'object' || info.thresholds === null) {
    throw modelError('MODEL_CORRUPT', `${file} lacks version, features or thresholds`);
  }
  if (info.features.join(',') !== FEATURE_NAMES.join(',')) {
    throw modelError(
      'MODEL_FEATURES',
      `the SV scoring model ${info.version} was trained on other features (${info.features.length}) than this version of LAG computes (${FEATURE_NAMES.length})`,
    );
  }
  return info;
}

async function createScorer(dir: string): Promise<Scorer> {
  const info = readInfo(dir);
  const file = path.join(dir, MODEL_FILE);
  if (!fs.existsSync(file)) throw modelError('MODEL_MISSING', `the SV scoring model ${file} is missing`);
  // Loaded here, not at import: the function app starts without paying for the native runtime.
  const ort: typeof Ort = await import('onnxruntime-node');
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(fs.readFileSync(file));
  } catch (e) {
    throw modelError('MODEL_CORRUPT', `the SV scoring model ${file} cannot be loaded by onnxruntime (${(e as Error).message.split('\n')[0]})`, e);
  }
  if (!session.inputNames.includes('features') || !session.outputNames.includes('probability')) {
    throw modelError('MODEL_CORRUPT', `the SV scoring model ${file} has inputs ${session.inputNames.join(',')} and outputs ${session.outputNames.join(',')}; expected features -> probability`);
  }
  const width = FEATURE_NAMES.length;
  const run = async (rows: Float32Array, n: number): Promise<number[]> => {
    const input = new ort.Tensor('float32', rows, [n, width]);
    const result = await session.run({ features: input });
    const p = result.probability;
    if (!p || p.data.length !== n) throw modelError('MODEL_CORRUPT', `the SV scoring model ${file} returned ${p?.data.length ?? 0} probabilities for ${n} candidates`);
    return Array.from(p.data as Float32Array);
  };
  const probabilities = async (calls: readonly SvCall[]): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < calls.length; i += BATCH) {
      const batch = calls.slice(i, i + BATCH);
      out.push(...(await run(featureMatrix(batch), batch.length)));
    }
    return out;
  };
  return {
    info,
    probabilities,
    probabilitiesOfFeatures: (rows, n) => {
      if (rows.length !== n * width) throw new RangeError(`${rows.length} values are not ${n} rows of ${width} features`);
      return run(rows, n);
    },
    async score(calls, applies = true) {
      const p = await probabilities(calls);
      // Kinds of call the model saw too few of, depth-only copy-number changes and large ones between whole copies (mosaic):
      // shown, not judged (domain.ts, outsideTraining).
      return calls.map((c, i) => applyScore(c, p[i]!, info, applies ? (notJudgedReason(c, info.domain) ?? undefined) : 'genome'));
    },
  };
}

const scorers = new Map<string, Promise<Scorer>>();

/** The scorer of a model directory, created on first use and kept for the life of the worker. */
export function loadScorer(dir: string = DEFAULT_MODEL_DIR): Promise<Scorer> {
  let s = scorers.get(dir);
  if (!s) {
    s = createScorer(dir);
    // A failed load is not kept: a fixed model directory is picked up by the next attempt.
    s.catch(() => scorers.delete(dir));
    scorers.set(dir, s);
  }
  return s;
}

/**
 * Breakend pairs joined across chromosomes (mergeCalls) get one score, so
 * both records of a junction carry the same probability: the score of the
 * side that saw the junction with more reads (pairs + split reads), the mean
 * when both saw as many. One junction, two views: a side in a repeat sees
 * few reads of a real translocation, and averaging its doubt in would
 * withdraw the junction the other side shows clearly. Unpaired breakends
 * keep their own score.
 */
export function joinBreakendScores(calls: readonly SvCall[], info: ModelInfo): SvCall[] {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const support = (c: SvCall) => c.pairedEnd + c.splitReads;
  return calls.map((c) => {
    if (c.type !== 'BND' || !c.mate?.id || c.modelVersion === undefined || c.modelApplied === false) return c;
    const mate = byId.get(c.mate.id);
    if (!mate || mate.modelVersion === undefined || mate.modelApplied === false) return c;
    const score = support(c) > support(mate) ? c.score : support(mate) > support(c) ? mate.score : (c.score + mate.score) / 2;
    return applyScore(c, score, info);
  });
}
