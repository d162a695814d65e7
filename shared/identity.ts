/**
 * Who calls the API and what they may do. Pure: the HTTP wrapper
 * (functions/common/registry.ts) gives it the request headers and the mode.
 *
 * Azure: App Service authentication (Entra ID) sits in front of the app. It
 * validates the token, strips any client-sent `x-ms-client-principal*`
 * headers and adds its own: `x-ms-client-principal` is base64 JSON
 * `{auth_typ, name_typ, role_typ, claims: [{typ, val}]}`. Roles are the API
 * app registration's app roles (`biologist`, `admin`) assigned to the user or
 * a group. The `x-lag-dev-*` headers are ignored.
 *
 * Local (`LAG_LOCAL=1` only): a development identity chosen at start-up
 * (LAG_DEV_USER, LAG_DEV_ROLES), or per request `x-lag-dev-user` and
 * `x-lag-dev-roles` (the local host listens on the loopback interface only).
 */
import { ForbiddenError, UnauthenticatedError } from './errors';

export const ROLES = ['biologist', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route does, and so which roles may call it. */
export type Permission = 'read' | 'review' | 'rerun' | 'delete' | 'audit';

/** `public`: no identity (health only); `authenticated`: any signed-in user; otherwise a permission. */
export type Access = 'public' | 'authenticated' | Permission;

/** The roles that grant each permission: an admin can do everything a biologist can. */
export const PERMISSION_ROLES: Readonly<Record<Permission, readonly Role[]>> = {
  read: ['biologist', 'admin'],
  review: ['biologist', 'admin'],
  rerun: ['admin'],
  delete: ['admin'],
  audit: ['admin'],
};

const PERMISSION_WHAT: Readonly<Record<Permission, string>> = {
  read: 'reading sample data',
  review: 'reviewing SVs',
  rerun: 're-running an analysis',
  delete: 'deleting data',
  audit: 'reading the audit trail',
};

export interface Principal {
  /** Stable id: the Entra object id (oid) in Azure, `dev:<name>` locally. */
  id: string;
  /** Display name (UPN or name claim in Azure). */
  name: string;
  /** LAG roles held (lowercase; unknown roles are dropped). */
  roles: Role[];
  source: 'app-service' | 'local-dev';
}

export const IDENTITY_HEADERS = {
  clientPrincipal: 'x-ms-client-principal',
  clientPrincipalId: 'x-ms-client-principal-id',
  clientPrincipalName: 'x-ms-client-principal-name',
  devUser: 'x-lag-dev-user',
  devRoles: 'x-lag-dev-roles',
} as const;

/** Claim types that carry roles, names and the object id in App Service principals. */
export const ROLE_CLAIM_TYPES = ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'] as const;
const NAME_CLAIM_TYPES = [
  'preferred_username',
  'name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'upn',
  'email',
];
const OID_CLAIM_TYPES = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];

/** Known LAG roles among `values` (case-insensitive), deduplicated, in ROLES order. */
export function knownRoles(values: Iterable<string>): Role[] {
  const wanted = new Set([...values].map((v) => v.trim().toLowerCase()));
  return ROLES.filter((r) => wanted.has(r));
}

/** `biologist, admin` → roles; an unknown role is an error naming it (for start-up settings). */
export function parseRoleList(raw: string, what: string): Role[] {
  const items = raw.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r.length > 0);
  const unknown = items.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new Error(`${what}: '${unknown.join("', '")}' is not a role; roles: ${ROLES.join(', ')}`);
  return knownRoles(items);
}

interface ClientPrincipalJson {
  auth_typ?: unknown;
  name_typ?: unknown;
  role_typ?: unknown;
  claims?: unknown;
}

/**
 * The principal App Service authentication put in `x-ms-client-principal`
 * (`idHeader`/`nameHeader`: its `-id` and `-name` companions, used when the
 * claims lack them). A header that is not base64 JSON with claims is a 401.
 */
export function parseClientPrincipal(encoded: string, idHeader?: string | null, nameHeader?: string | null): Principal {
  let parsed: ClientPrincipalJson;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ClientPrincipalJson;
  } catch {
    throw new UnauthenticatedError('BAD_PRINCIPAL', `the ${IDENTITY_HEADERS.clientPrincipal} header is not base64-encoded JSON: sign in again`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.claims)) {
    throw new UnauthenticatedError('BAD_PRINCIPAL', `the ${IDENTITY_HEADERS.clientPrincipal} header has no claims: sign in again`);
  }
  const claims: { typ: string; val: string }[] = [];
  for (const c of parsed.claims as unknown[]) {
    const { typ, val } = (typeof c === 'object' && c !== null ? c : {}) as { typ?: unknown; val?: unknown };
    if (typeof typ === 'string' && typeof val === 'string') claims.push({ typ, val });
  }
  const of = (types: readonly string[]) => claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const roleTypes = [...ROLE_CLAIM_TYPES, ...(typeof parsed.role_typ === 'string' ? [parsed.role_typ] : [])];
  const nameTypes = [...(typeof parsed.name_typ === 'string' ? [parsed.name_typ] : []), ...NAME_CLAIM_TYPES];
  // App Service may pass several roles in one claim value, comma-separated, depending on the token version.
  const roles = knownRoles(of(roleTypes).flatMap((v) => v.split(',')));
  const name = of(nameTypes)[0] ?? nameHeader ?? undefined;
  const id = of(OID_CLAIM_TYPES)[0] ?? idHeader ?? name;
  if (!id) {
    throw new UnauthenticatedError('BAD_PRINCIPAL', `the ${IDENTITY_HEADERS.clientPrincipal} header names no user (no oid or name claim): sign in again`);
  }
  return { id, name: name ?? id, roles, source: 'app-service' };
}

/** The development identity of local mode, from LAG_DEV_USER / LAG_DEV_ROLES. */
export interface DevIdentity {
  user: string;
  roles: Role[];
}

export function devPrincipal(user: string, roles: Role[]): Principal {
  return { id: `dev:${user}`, name: user, roles, source: 'local-dev' };
}

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The caller of a request, or a 401 that says how to identify.
 * `mode` decides which headers count: only App Service's in Azure, only the
 * development ones locally.
 */
export function resolvePrincipal(headers: HeaderSource, mode: 'azure' | 'local', dev: DevIdentity | undefined): Principal {
  if (mode === 'azure') {
    const encoded = headers.get(IDENTITY_HEADERS.clientPrincipal);
    if (!encoded) {
      throw new UnauthenticatedError(
        'NOT_AUTHENTICATED',
        'this route needs a signed-in user: call it with an Entra ID token for the LAG API (Authorization: Bearer …)',
      );
    }
    return parseClientPrincipal(encoded, headers.get(IDENTITY_HEADERS.clientPrincipalId), headers.get(IDENTITY_HEADERS.clientPrincipalName));
  }
  const user = headers.get(IDENTITY_HEADERS.devUser)?.trim();
  if (user) {
    if (!/^[\w.@+ -]{1,128}$/.test(user)) {
      throw new UnauthenticatedError('BAD_DEV_IDENTITY', `${IDENTITY_HEADERS.devUser}: '${user.slice(0, 40)}' is not a user name (letters, digits, . _ @ + - and spaces)`);
    }
    return devPrincipal(user, knownRoles((headers.get(IDENTITY_HEADERS.devRoles) ?? '').split(',')));
  }
  if (dev) return devPrincipal(dev.user, dev.roles);
  throw new UnauthenticatedError(
    'NOT_AUTHENTICATED',
    'this route needs a user: local mode has no development identity (start with LAG_DEV_USER and LAG_DEV_ROLES, ' +
      `or send ${IDENTITY_HEADERS.devUser} and ${IDENTITY_HEADERS.devRoles})`,
  );
}

export function hasAccess(principal: Principal, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return PERMISSION_ROLES[access].some((r) => principal.roles.includes(r));
}

/** Throws a 403 naming the role needed and the roles the caller has. */
export function authorize(principal: Principal, access: Access): void {
  if (hasAccess(principal, access)) return;
  const needed = PERMISSION_ROLES[access as Permission];
  const has = principal.roles.length ? `has the role(s) ${principal.roles.join(', ')}` : 'has no LAG role';
  throw new ForbiddenError(
    'FORBIDDEN',
    `${PERMISSION_WHAT[access as Permission]} needs the role '${needed.join("' or '")}'; ${principal.name} ${has}. ` +
      'An administrator assigns roles to users or groups in Entra ID (app roles of the LAG API).',
  );
}
