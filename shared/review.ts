/**
 * A biologist's review of one SV: is it real (confirmed / false positive /
 * uncertain), its ACMG/ClinGen CNV class, a comment. Every change is kept:
 * the document holds the current version and the list of the previous ones.
 * Stored in Cosmos container `reviews`, partition key /sampleId, id = the SV's
 * id; updates are optimistic (ETag, see functions/reviewSv.ts).
 */
import { RequestError } from './errors';

export const REVIEW_STATES = ['confirmed', 'false-positive', 'uncertain'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** ACMG/ClinGen CNV classification (Riggs et al. 2020), five tiers. */
export const ACMG_CLASSES = ['pathogenic', 'likely-pathogenic', 'uncertain-significance', 'likely-benign', 'benign'] as const;
export type AcmgClass = (typeof ACMG_CLASSES)[number];

export const REVIEW_STATE_LABELS: Readonly<Record<ReviewState, string>> = {
  confirmed: 'Confirmed',
  'false-positive': 'False positive',
  uncertain: 'Uncertain',
};

export const ACMG_LABELS: Readonly<Record<AcmgClass, string>> = {
  pathogenic: 'Pathogenic',
  'likely-pathogenic': 'Likely pathogenic',
  'uncertain-significance': 'Uncertain significance',
  'likely-benign': 'Likely benign',
  benign: 'Benign',
};

/** `unreviewed`: SVs that have no review yet (for the SV list's `review` filter). */
export const REVIEW_FILTER_VALUES = [...REVIEW_STATES, 'unreviewed'] as const;
export type ReviewFilterValue = (typeof REVIEW_FILTER_VALUES)[number];

export const MAX_COMMENT_LENGTH = 4000;

export interface ReviewContent {
  state: ReviewState;
  acmgClass: AcmgClass | null;
  comment: string;
}

export interface ReviewVersion extends ReviewContent {
  /** 1 for the first review, +1 for each change. */
  version: number;
  at: string;
  by: { id: string; name: string };
  /** The analysis run the SV belonged to when this version was written. */
  runId: string;
}

export interface ReviewDocument extends ReviewVersion {
  /** The SV's id (its `id` in the SV list). */
  id: string;
  sampleId: string;
  svId: string;
  /** Earlier versions, oldest first. */
  history: ReviewVersion[];
}

export const SV_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,255}$/;

/** The body of PUT …/review: `{state, acmgClass?, comment?}`; a bad field is a 400 naming it. */
export function parseReviewBody(body: unknown): ReviewContent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError('body', 'must be a JSON object {"state": …, "acmgClass": …, "comment": …}');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!['state', 'acmgClass', 'comment'].includes(key)) throw new RequestError(key, 'unknown field; accepted: state, acmgClass, comment');
  }
  if (typeof b.state !== 'string' || !(REVIEW_STATES as readonly string[]).includes(b.state)) {
    throw new RequestError('state', `${JSON.stringify(b.state ?? null)} is not a review state; accepted: ${REVIEW_STATES.join(', ')}`);
  }
  const acmg = b.acmgClass ?? null;
  if (acmg !== null && (typeof acmg !== 'string' || !(ACMG_CLASSES as readonly string[]).includes(acmg))) {
    throw new RequestError('acmgClass', `${JSON.stringify(acmg)} is not an ACMG/ClinGen class; accepted: ${ACMG_CLASSES.join(', ')} (or null)`);
  }
  const comment = b.comment ?? '';
  if (typeof comment !== 'string') throw new RequestError('comment', 'must be a string');
  if (comment.length > MAX_COMMENT_LENGTH) throw new RequestError('comment', `is ${comment.length} characters long; at most ${MAX_COMMENT_LENGTH}`);
  return { state: b.state as ReviewState, acmgClass: acmg as AcmgClass | null, comment };
}

export function parseReviewFilter(raw: string): ReviewFilterValue[] {
  const values = raw.split(',').map((v) => v.trim().toLowerCase());
  for (const v of values) {
    if (!(REVIEW_FILTER_VALUES as readonly string[]).includes(v)) {
      throw new RequestError('review', `'${v}' is not a review state; accepted: ${REVIEW_FILTER_VALUES.join(', ')}`);
    }
  }
  return values as ReviewFilterValue[];
}

/** The review after a change: the new version on top, the current one (if any) appended to the history. */
export function nextReview(
  current: ReviewDocument | undefined,
  content: ReviewContent,
  ctx: { sampleId: string; svId: string; runId: string; by: { id: string; name: string }; now: Date },
): ReviewDocument {
  const history: ReviewVersion[] = current ? [...current.history, versionOf(current)] : [];
  return {
    id: ctx.svId,
    sampleId: ctx.sampleId,
    svId: ctx.svId,
    state: content.state,
    acmgClass: content.acmgClass,
    comment: content.comment,
    version: (current?.version ?? 0) + 1,
    at: ctx.now.toISOString(),
    by: ctx.by,
    runId: ctx.runId,
    history,
  };
}

function versionOf(doc: ReviewDocument): ReviewVersion {
  return { state: doc.state, acmgClass: doc.acmgClass, comment: doc.comment, version: doc.version, at: doc.at, by: doc.by, runId: doc.runId };
}

/** The short form listed with each SV. */
export interface ReviewSummary {
  state: ReviewState;
  acmgClass: AcmgClass | null;
  version: number;
  at: string;
  by: string;
}

export function reviewSummary(doc: ReviewDocument): ReviewSummary {
  return { state: doc.state, acmgClass: doc.acmgClass, version: doc.version, at: doc.at, by: doc.by.name };
}

/** ETag as sent over HTTP (quoted), from Cosmos DB's `_etag` (quoted in Azure, bare on the local server). */
export function httpEtag(cosmosEtag: string): string {
  return `"${cosmosEtag.replace(/^W\//, '').replace(/^"|"$/g, '')}"`;
}

/** Whether an If-Match header value (one or a list, possibly weak) names this ETag; `*` never does (send the ETag read). */
export function etagMatches(ifMatch: string, cosmosEtag: string): boolean {
  const want = httpEtag(cosmosEtag);
  return ifMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag !== '*' && httpEtag(tag) === want;
  });
}
