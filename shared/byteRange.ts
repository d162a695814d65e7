/** HTTP byte ranges (RFC 9110 §14): the one form the BAM route accepts, a single range. */
import { RequestError } from './errors';

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` against a file of `size` bytes → [start, end] inclusive, or 'unsatisfiable'. */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) {
    throw new RequestError('Range', `'${header.slice(0, 80)}' is not a single byte range; send e.g. Range: bytes=0-65535`);
  }
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) throw new RequestError('Range', `end ${m[2]} is before start ${start}`);
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
