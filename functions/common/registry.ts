/**
 * Registers orchestrators and activities with the Functions host AND in a
 * registry of our own. Outside the host `df.app.*` registrations are skipped,
 * so the local runner (functions/local) drives the very same handlers from
 * this registry: not one line of orchestrator or activity code differs.
 */
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { fromDurableClient, type OrchestrationClient } from '../adapters/durableClient';
import { type AuditAction, newAuditEntry } from '../../shared/audit';
import { asLagError, toWireMessage } from '../../shared/errors';
import { type Access, authorize, type Principal, resolvePrincipal } from '../../shared/identity';
import { appendAuditEntry } from '../adapters/audit';
import { errorResponse } from '../adapters/http';
import { currentSettings } from '../adapters/settings';

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

/**
 * An HTTP function: same handler for the host and the local server.
 *
 * Every route says who may call it (`access`, shared/identity.ts). The
 * wrapper registered with the host resolves the caller (App Service
 * authentication's principal in Azure, the development identity locally),
 * answers 401 / 403 with the reason, and hands the caller to the handler.
 * Routes with `audit` get one audit entry per answered request
 * (shared/audit.ts); when it cannot be written, a successful answer becomes
 * a 503: no health data leaves unaudited.
 *
 * All routes are `authLevel: 'anonymous'` for the host: no function keys;
 * Entra ID (App Service authentication) guards them in Azure.
 */
export interface HttpFunction {
  name: string;
  /** Route template as in Azure Functions (under /api), e.g. `samples/{sampleId}`. */
  route: string;
  methods: HttpMethod[];
  access: Access;
  /** The audit action of a request (undefined: not audited). */
  audit?: AuditAction | ((request: HttpRequest) => AuditAction);
  handler: (request: HttpRequest, context: InvocationContext, client: OrchestrationClient, caller: Principal) => Promise<HttpResponseInit>;
}

/** A registered HTTP function: `serve` is the wrapped handler (identity, roles, audit) the hosts call. */
export interface RegisteredHttpFunction extends HttpFunction {
  serve: (request: HttpRequest, context: InvocationContext, client: OrchestrationClient) => Promise<HttpResponseInit>;
}

const httpFunctions: RegisteredHttpFunction[] = [];

/** Stands for "no one" on public routes (health). */
const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', roles: [], source: 'local-dev' };

function wrapHttp(fn: HttpFunction): RegisteredHttpFunction['serve'] {
  return async (request, context, client) => {
    let caller: Principal;
    try {
      if (fn.access === 'public') {
        caller = ANONYMOUS;
      } else {
        const settings = currentSettings();
        caller = resolvePrincipal(request.headers, settings.mode, settings.devIdentity);
        authorize(caller, fn.access);
      }
    } catch (e) {
      const response = errorResponse(e, context);
      if (response.status === 403) context.warn(`${request.method} ${new URL(request.url).pathname}: refused (403): ${asLagError(e).message}`);
      return response;
    }
    const response = await fn.handler(request, context, client, caller);
    if (!fn.audit) return response;
    const status = response.status ?? 200;
    const params = request.params as Record<string, string | undefined>;
    try {
      await appendAuditEntry(
        newAuditEntry(
          {
            id: '',
            principal: caller,
            action: typeof fn.audit === 'function' ? fn.audit(request) : fn.audit,
            sampleId: params.sampleId ?? null,
            ...(params.svId !== undefined ? { svId: params.svId } : {}),
            status,
          },
          request,
          new Date(),
        ),
      );
    } catch (e) {
      if (status >= 400) {
        context.error(`audit entry for a ${status} answer not written: ${asLagError(e).message}`);
        return response;
      }
      return errorResponse(e, context);
    }
    return response;
  };
}

export function registerHttp(fn: HttpFunction): RegisteredHttpFunction {
  const registered: RegisteredHttpFunction = { ...fn, serve: wrapHttp(fn) };
  httpFunctions.push(registered);
  df.app.client.http(fn.name, {
    // host.json's routePrefix is "" so that the web workspace (functions/web.ts) can have `/`: API routes say `api/` here.
    route: `api/${fn.route}`,
    methods: fn.methods,
    authLevel: 'anonymous',
    handler: (request, client, context) => registered.serve(request, context, fromDurableClient(client)),
  });
  return registered;
}

export function getHttpFunctions(): readonly RegisteredHttpFunction[] {
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
