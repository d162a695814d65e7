/**
 * Registers orchestrators and activities with the Functions host AND in a
 * registry of our own. Outside the host `df.app.*` registrations are skipped,
 * so the local runner (functions/local) drives the very same handlers from
 * this registry: not one line of orchestrator or activity code differs.
 */
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { fromDurableClient, type OrchestrationClient } from '../adapters/durableClient';
import { asLagError, toWireMessage } from '../../shared/errors';

export type ActivityFn<I, O> = (input: I, context: InvocationContext) => Promise<O>;
export type OrchestratorFn = (context: df.OrchestrationContext) => Generator<df.Task, unknown, unknown>;

const activities = new Map<string, ActivityFn<unknown, unknown>>();
const orchestrators = new Map<string, OrchestratorFn>();

/**
 * An activity whose failures cross to the orchestrator with their code and
 * fault (see shared/errors.ts), so the orchestrator can tell a user's bad
 * file from a flaky dependency.
 */
export function registerActivity<I, O>(name: string, fn: ActivityFn<I, O>): ActivityFn<I, O> {
  const wrapped: ActivityFn<I, O> = async (input, context) => {
    try {
      return await fn(input, context);
    } catch (e) {
      const err = asLagError(e);
      context.error(`${name} failed: ${toWireMessage(err)}`);
      throw new Error(toWireMessage(err), { cause: e });
    }
  };
  activities.set(name, wrapped as ActivityFn<unknown, unknown>);
  df.app.activity(name, { handler: (input: unknown, context: InvocationContext) => wrapped(input as I, context) });
  return wrapped;
}

export function registerOrchestrator(name: string, fn: OrchestratorFn): OrchestratorFn {
  orchestrators.set(name, fn);
  df.app.orchestration(name, fn);
  return fn;
}

/** An HTTP function: same handler for the host and the local server. */
export interface HttpFunction {
  name: string;
  /** Route template as in Azure Functions (under /api), e.g. `samples/{sampleId}`. */
  route: string;
  methods: HttpMethod[];
  authLevel: 'anonymous' | 'function' | 'admin';
  handler: (request: HttpRequest, context: InvocationContext, client: OrchestrationClient) => Promise<HttpResponseInit>;
}

const httpFunctions: HttpFunction[] = [];

export function registerHttp(fn: HttpFunction): HttpFunction {
  httpFunctions.push(fn);
  df.app.client.http(fn.name, {
    route: fn.route,
    methods: fn.methods,
    authLevel: fn.authLevel,
    handler: (request, client, context) => fn.handler(request, context, fromDurableClient(client)),
  });
  return fn;
}

export function getHttpFunctions(): readonly HttpFunction[] {
  return httpFunctions;
}

export function getActivity(name: string): ActivityFn<unknown, unknown> | undefined {
  return activities.get(name);
}

export function getOrchestrator(name: string): OrchestratorFn | undefined {
  return orchestrators.get(name);
}

export function registeredNames(): { activities: string[]; orchestrators: string[] } {
  return { activities: [...activities.keys()], orchestrators: [...orchestrators.keys()] };
}
