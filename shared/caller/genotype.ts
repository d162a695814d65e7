/**
 * Genotypes from read counts: `alt` reads support the variant, `ref` reads
 * span the breakpoint as the reference says. Biallelic binomial model with a
 * small error rate; GQ is the Phred-scaled probability that the best
 * genotype is wrong (capped at 99), as in VCF.
 */

/** Probability of an alt-looking read for 0/0, 0/1, 1/1 (1% error each way). */
const P_ALT = [0.01, 0.5, 0.99] as const;
const GENOTYPES = ['0/0', '0/1', '1/1'] as const;
export type Genotype = (typeof GENOTYPES)[number];

export interface GenotypeCall {
  genotype: Genotype;
  genotypeQuality: number;
  /** log10 likelihoods of 0/0, 0/1, 1/1. */
  log10Likelihoods: [number, number, number];
  alleleFraction: number;
}

export function genotypeFromCounts(ref: number, alt: number): GenotypeCall {
  const ll = P_ALT.map((p) => alt * Math.log10(p) + ref * Math.log10(1 - p)) as [number, number, number];
  const max = Math.max(...ll);
  const best = ll.indexOf(max);
  // Posterior with flat priors; GQ = -10 log10 P(not best).
  const total = ll.reduce((a, x) => a + Math.pow(10, x - max), 0);
  const pWrong = Math.max(0, 1 - 1 / total);
  const gq = pWrong <= 0 ? 99 : Math.min(99, Math.round(-10 * Math.log10(pWrong)));
  return {
    genotype: GENOTYPES[best]!,
    genotypeQuality: gq,
    log10Likelihoods: ll,
    alleleFraction: ref + alt === 0 ? 0 : alt / (ref + alt),
  };
}
