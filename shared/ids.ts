/** Deterministic identifiers: the same inputs give the same id on every retry. */
import { createHash } from 'node:crypto';

export function shortHash(text: string, hexChars = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexChars);
}

/** `DEL-20-1000-2000-3f2a...`: readable, stable, safe as a Cosmos id. */
export function svCallId(chromosome: string, start: number, end: number, type: string): string {
  return `${type}-${chromosome}-${start}-${end}`;
}
