/**
 * Identities for calling the local API in tests: local mode honours the
 * x-lag-dev-user / x-lag-dev-roles headers (shared/identity.ts). The test
 * stacks start without a development identity, so a request without these
 * headers gets 401.
 */
export const AS_ADMIN: Record<string, string> = { 'x-lag-dev-user': 'test-admin', 'x-lag-dev-roles': 'admin' };
export const AS_BIOLOGIST: Record<string, string> = { 'x-lag-dev-user': 'test-biologist', 'x-lag-dev-roles': 'biologist' };
export const AS_NOBODY_WITH_NO_ROLE: Record<string, string> = { 'x-lag-dev-user': 'test-visitor', 'x-lag-dev-roles': '' };

/** `init` with the identity's headers added (the caller's own headers win). */
export function withIdentity(identity: Record<string, string>, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...identity, ...((init.headers as Record<string, string> | undefined) ?? {}) } };
}
