/**
 * HTTP plumbing shared by the API functions: JSON responses, and the one
 * place where an error becomes a status code and a body that names the
 * problem. Unknown errors are logged in full and answered with a 500 that
 * gives the invocation id, never the internals.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { asLagError, RequestError } from '../../shared/errors';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Cache-Control': 'no-store', ...headers } };
}

export function errorResponse(e: unknown, context: InvocationContext): HttpResponseInit {
  const err = asLagError(e);
  if (err.fault === 'internal' || err.fault === 'dependency') {
    context.error(`request failed: ${err.code}: ${err.message}`, e);
  }
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  if (err instanceof RequestError) body.parameter = err.parameter;
  if (err.fault === 'internal') body.message = `internal error (invocation ${context.invocationId}); the details are in the logs`;
  return json(err.httpStatus, { error: body });
}

/** Runs a handler body, turning any thrown error into its HTTP answer. */
export async function answer(context: InvocationContext, work: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await work();
  } catch (e) {
    return errorResponse(e, context);
  }
}
