/**
 * The few durable client operations LAG uses, so the same handlers run with
 * the Functions host's client in Azure and the local runner on a laptop.
 */
import type * as df from 'durable-functions';

export interface OrchestrationStatus {
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
}

export interface OrchestrationClient {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  getStatus(instanceId: string): Promise<OrchestrationStatus | undefined>;
}

/** Wraps the host's DurableClient; a 404 (no such instance) becomes undefined. */
export function fromDurableClient(client: df.DurableClient): OrchestrationClient {
  return {
    startNew: (name, options) => client.startNew(name, options),
    async getStatus(instanceId) {
      try {
        const s = await client.getStatus(instanceId);
        if (!s) return undefined;
        return { runtimeStatus: String(s.runtimeStatus), customStatus: s.customStatus, output: s.output };
      } catch (e) {
        if (e instanceof Error && /404/.test(e.message)) return undefined;
        throw e;
      }
    },
  };
}
