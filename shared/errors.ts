/**
 * One error hierarchy, by who is at fault. Every error has a stable `code`;
 * the table below maps each fault to an HTTP status and to retry / no-retry.
 * This is the only place that decides either.
 *
 * Errors cross the orchestrator/activity boundary as text (the Durable host
 * keeps only a message), so `toWireMessage` prefixes the message with its
 * code and `fromWireMessage` recovers it on the other side.
 */

export type Fault =
  | 'input' // the uploaded file is wrong: never retried, the user must upload again
  | 'request' // an HTTP caller sent a bad parameter: 400
  | 'not-found' // an HTTP caller asked for something that does not exist: 404
  | 'conflict' // the request clashes with current state: 409
  | 'unauthenticated' // an HTTP caller has no identity: 401
  | 'forbidden' // an HTTP caller lacks the role: 403
  | 'precondition' // an HTTP caller's If-Match / If-None-Match does not hold: 412
  | 'precondition-required' // an HTTP update without If-Match / If-None-Match: 428
  | 'unsupported' // valid but not something LAG can do: never retried
  | 'dependency' // a service we call failed: retried
  | 'internal'; // a bug: retried once by policy, then reported

interface FaultPolicy {
  readonly httpStatus: number;
  readonly retryable: boolean;
}

export const FAULT_POLICY: Readonly<Record<Fault, FaultPolicy>> = {
  input: { httpStatus: 422, retryable: false },
  request: { httpStatus: 400, retryable: false },
  'not-found': { httpStatus: 404, retryable: false },
  conflict: { httpStatus: 409, retryable: false },
  unauthenticated: { httpStatus: 401, retryable: false },
  forbidden: { httpStatus: 403, retryable: false },
  precondition: { httpStatus: 412, retryable: false },
  'precondition-required': { httpStatus: 428, retryable: false },
  unsupported: { httpStatus: 422, retryable: false },
  dependency: { httpStatus: 503, retryable: true },
  internal: { httpStatus: 500, retryable: true },
};

export abstract class LagError extends Error {
  abstract readonly fault: Fault;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  get retryable(): boolean {
    return FAULT_POLICY[this.fault].retryable;
  }

  get httpStatus(): number {
    return FAULT_POLICY[this.fault].httpStatus;
  }
}

/** The uploaded genome (or its index) is unusable as it is. */
export class InputError extends LagError {
  readonly fault = 'input' as const;
}

/** An HTTP request parameter is invalid; `parameter` names it. */
export class RequestError extends LagError {
  readonly fault = 'request' as const;
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super('BAD_PARAMETER', `${parameter}: ${message}`);
    this.parameter = parameter;
  }
}

export class NotFoundError extends LagError {
  readonly fault = 'not-found' as const;
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends LagError {
  readonly fault = 'conflict' as const;
}

/** No identity on an HTTP request (no signed-in user). */
export class UnauthenticatedError extends LagError {
  readonly fault = 'unauthenticated' as const;
}

/** The signed-in user lacks the role an HTTP route needs. */
export class ForbiddenError extends LagError {
  readonly fault = 'forbidden' as const;
}

/** An update's If-Match / If-None-Match does not match the stored version (optimistic concurrency). */
export class PreconditionFailedError extends LagError {
  readonly fault = 'precondition' as const;
}

/** An update came without If-Match / If-None-Match. */
export class PreconditionRequiredError extends LagError {
  readonly fault = 'precondition-required' as const;
}

export class UnsupportedError extends LagError {
  readonly fault = 'unsupported' as const;
}

/** Blob Storage, Cosmos DB or another service failed; worth retrying. */
export class DependencyError extends LagError {
  readonly fault = 'dependency' as const;
}

export class InternalError extends LagError {
  readonly fault = 'internal' as const;
}

const FAULT_CLASSES: Record<Fault, new (code: string, message: string) => LagError> = {
  input: InputError,
  request: class extends LagError {
    readonly fault = 'request' as const;
  },
  'not-found': class extends LagError {
    readonly fault = 'not-found' as const;
  },
  conflict: ConflictError,
  unauthenticated: UnauthenticatedError,
  forbidden: ForbiddenError,
  precondition: PreconditionFailedError,
  'precondition-required': PreconditionRequiredError,
  unsupported: UnsupportedError,
  dependency: DependencyError,
  internal: InternalError,
};

export function isLagError(e: unknown): e is LagError {
  return e instanceof LagError;
}

/** Any thrown value as a LagError: unknown errors are internal (a bug). */
export function asLagError(e: unknown): LagError {
  if (isLagError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  const recovered = fromWireMessage(message);
  if (recovered) return recovered;
  return new InternalError('INTERNAL', message, { cause: e });
}

const WIRE = /\[LAG:([a-z-]+):([A-Z0-9_]+)\] ([\s\S]*)/;

/** `[LAG:input:BAM_UNSORTED] sample.bam is ...` */
export function toWireMessage(e: LagError): string {
  return `[LAG:${e.fault}:${e.code}] ${e.message}`;
}

/**
 * Recovers a LagError from a message that went through the Durable host
 * (which may wrap it, e.g. "Activity function 'x' failed: [LAG:...] ...").
 */
export function fromWireMessage(text: string): LagError | undefined {
  const m = WIRE.exec(text);
  if (!m) return undefined;
  const [, fault, code, rest] = m;
  if (!fault || !code || rest === undefined || !(fault in FAULT_POLICY)) return undefined;
  const Cls = FAULT_CLASSES[fault as Fault];
  // The host appends the stack trace after the message; keep the first line.
  const message = rest.split('\n')[0]?.trim() ?? rest;
  return new Cls(code, message);
}
