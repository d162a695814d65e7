/**
 * A byte-level defect found while decoding a BAM (a bad BGZF block, a record
 * that runs past its data). Decoders throw it with the compressed byte offset
 * where the defect lies; the scanner, which knows the file name and the
 * region, turns it into the InputError the user sees (shared/errors.ts).
 */
export class BamFormatError extends Error {
  /** Compressed byte offset of the BGZF block where the defect was found. */
  readonly position: number;

  constructor(position: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BamFormatError';
    this.position = position;
  }
}
