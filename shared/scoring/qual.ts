/** VCF QUAL from the scorer's probability: −10 log10 P(the call is wrong), capped. */

/** The cap (Phred): probabilities closer to 1 than 10^-9.9 are not meaningful. */
export const MAX_QUAL = 99;

/** Phred-scaled probability that the call is wrong, capped at MAX_QUAL. */
export function qualFromProbability(p: number): number {
  if (!(p < 1)) return MAX_QUAL;
  return Math.max(0, Math.min(MAX_QUAL, Math.round(-10 * Math.log10(1 - Math.max(0, p)))));
}
