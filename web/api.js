// Calls to LAG's HTTP API, with the caller's identity.
// - Local mode (GET /api/health says mode 'local'): the development identity
//   chosen at sign-in is kept in sessionStorage and sent as x-lag-dev-user /
//   x-lag-dev-roles on every request.
// - Azure: App Service authentication (Entra ID) signs the user in with a
//   cookie; requests send nothing special. The name comes from /.auth/me.

const DEV_KEY = 'lag.devIdentity';

/** The development identities the sign-in page offers (local mode only). */
export const DEV_IDENTITIES = {
  biologist: { user: 'biologiste-dev', roles: ['biologist'] },
  admin: { user: 'admin-dev', roles: ['admin'] },
};

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

let mode = null;

/** 'local' or 'azure', from /api/health (cached). */
export async function serverMode() {
  if (mode) return mode;
  try {
    const r = await fetch('/api/health', { cache: 'no-store' });
    const body = await r.json();
    mode = body.mode === 'local' ? 'local' : 'azure';
  } catch {
    mode = 'azure';
  }
  return mode;
}

export function devIdentity() {
  try {
    const raw = sessionStorage.getItem(DEV_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw);
    return v && typeof v.user === 'string' && Array.isArray(v.roles) ? v : null;
  } catch {
    return null;
  }
}

export function setDevIdentity(identity) {
  if (identity) sessionStorage.setItem(DEV_KEY, JSON.stringify(identity));
  else sessionStorage.removeItem(DEV_KEY);
}

/** Headers that say who calls (local mode only). */
export function identityHeaders() {
  const id = mode === 'local' ? devIdentity() : null;
  return id ? { 'x-lag-dev-user': id.user, 'x-lag-dev-roles': id.roles.join(',') } : {};
}

/** The signed-in user: {name, roles, source} or null. */
export async function currentUser() {
  const m = await serverMode();
  if (m === 'local') {
    const id = devIdentity();
    return id ? { name: id.user, roles: id.roles, source: 'local-dev' } : null;
  }
  try {
    const r = await fetch('/.auth/me', { credentials: 'same-origin', cache: 'no-store' });
    if (!r.ok) return null;
    const body = await r.json();
    const p = Array.isArray(body) ? body[0] : body?.clientPrincipal;
    if (!p) return null;
    const claims = p.user_claims ?? p.claims ?? [];
    const of = (types) => claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
    const roles = of(['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v === 'biologist' || v === 'admin');
    const name = of(['name', 'preferred_username'])[0] ?? p.user_id ?? p.userDetails ?? '?';
    return { name, roles: [...new Set(roles)], source: 'app-service' };
  } catch {
    return null;
  }
}

/** fetch() of an API path with the identity; a non-2xx answer becomes an ApiError with the server's message. */
export async function apiFetch(path, init = {}) {
  await serverMode();
  const headers = { ...identityHeaders(), ...(init.headers ?? {}) };
  let r;
  try {
    r = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init, headers });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e), null);
  }
  if (!r.ok) {
    let body = null;
    try {
      body = await r.json();
    } catch {
      // Not JSON: keep the status.
    }
    const err = body?.error ?? {};
    throw new ApiError(r.status, err.code ?? `HTTP_${r.status}`, err.message ?? `${r.status} ${r.statusText}`, body);
  }
  return r;
}

export async function getJson(path, init) {
  const r = await apiFetch(path, init);
  return r.json();
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const api = {
  samples: () => getJson('/api/samples'),
  sample: (id) => getJson(`/api/samples/${enc(id)}`),
  genome: (id) => getJson(`/api/samples/${enc(id)}/genome`),
  svs: (id, params) => getJson(`/api/samples/${enc(id)}/svs${query(params)}`),
  /** Every SV (all pages), at most `limit`. */
  async allSvs(id, limit = 20000) {
    const items = [];
    let token = null;
    do {
      const page = await getJson(`/api/samples/${enc(id)}/svs${query({ pageSize: 1000, continuationToken: token })}`);
      items.push(...page.items);
      token = page.continuationToken;
    } while (token && items.length < limit);
    return items;
  },
  /** The review and its ETag, or null when the SV has none yet. */
  async review(sampleId, svId) {
    try {
      const r = await apiFetch(`/api/samples/${enc(sampleId)}/svs/${enc(svId)}/review`);
      const body = await r.json();
      return { review: body, etag: r.headers.get('etag') ?? body.etag ?? null };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.code === 'NOT_FOUND' && /no review/i.test(e.message)) return null;
      throw e;
    }
  },
  /** Creates (etag null: If-None-Match: *) or changes (If-Match: etag) a review. */
  async putReview(sampleId, svId, content, etag) {
    const r = await apiFetch(`/api/samples/${enc(sampleId)}/svs/${enc(svId)}/review`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(etag ? { 'If-Match': etag } : { 'If-None-Match': '*' }) },
      body: JSON.stringify(content),
    });
    const body = await r.json();
    return { review: body, etag: r.headers.get('etag') ?? body.etag ?? null };
  },
  audit: (params) => getJson(`/api/audit${query(params)}`),
  vcfUrl: (id) => `/api/samples/${enc(id)}/vcf`,
  bamUrl: (id) => `/api/samples/${enc(id)}/bam`,
  baiUrl: (id) => `/api/samples/${enc(id)}/bam/index`,
};

/** Downloads an API file with the identity headers (a plain link would not send them in local mode). */
export async function download(path, filename) {
  const r = await apiFetch(path);
  const blob = await r.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
