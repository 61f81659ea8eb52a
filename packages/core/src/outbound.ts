import { GrantkitError } from './errors.js';
import type { AccessToken } from './types.js';

/**
 * Where an adapter may send the token: a list of origins (`https://api.acme.com`, exact scheme, host and
 * port) or URL prefixes (`https://api.acme.com/coaching/`, same origin and a path under it on a segment
 * boundary), or `'*'` — any origin, an explicit opt-in (also when it is one entry of the list).
 *
 * @example
 * ```ts
 * const origins: Origins = ['https://api.acme.com', 'https://files.acme.com/coaching/'];
 * ```
 */
export type Origins = '*' | readonly string[];

/**
 * Decides which outbound requests carry the token. Built by {@link outboundPolicy}.
 *
 * @example
 * ```ts
 * if (policy.matches(request.url)) request.headers.set('authorization', bearer(token));
 * ```
 */
export interface OutboundPolicy {
  /** Whether the token may be sent to `url`. A relative URL is resolved against `location` where there is one. */
  matches(url: string | URL): boolean;
}

const invalid = (entry: unknown, why: string): GrantkitError =>
  new GrantkitError('GRANTKIT_CONFIGURATION', `origins: ${JSON.stringify(entry)} ${why}`);

/**
 * Policies by the list they were built from: adapters that build a client per request (Hono, Express)
 * parse their origins once. A list is read when first used; build a new one to change it.
 */
const policies = new WeakMap<readonly string[], OutboundPolicy>();

/**
 * Policies by their entries, for lists built anew per request (`origins: (c) => [c.env.API_ORIGIN]`): a
 * few recent ones, so a Worker parses its origins once per isolate rather than once per request.
 */
const recent = new Map<string, OutboundPolicy>();
const RECENT_POLICIES = 16;

/** Parses one entry into its origin and path prefix (without a trailing slash). */
function parse(entry: unknown): readonly [origin: string, path: string] {
  if (typeof entry !== 'string' || !/^https?:\/\//i.test(entry))
    throw invalid(entry, 'must be an http: or https: URL');
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw invalid(entry, 'is not a valid URL');
  }
  if (url.username || url.password || url.search || url.hash || entry.includes('?') || entry.includes('#'))
    throw invalid(entry, 'must not carry credentials, a query or a fragment');
  return [url.origin, url.pathname.replace(/\/$/, '')];
}

/**
 * Builds the origin rule every adapter shares. `http:` and `https:` never match each other; default ports
 * are normalised (`https://a:443` is `https://a`). Throws a `GRANTKIT_CONFIGURATION` {@link GrantkitError}
 * for an empty list or a malformed entry, at construction rather than on the first request.
 *
 * @example
 * ```ts
 * const policy = outboundPolicy(['https://api.acme.com', 'https://files.acme.com/coaching/']);
 * policy.matches('https://api.acme.com/v1/users');          // true
 * policy.matches('https://files.acme.com/coaching/a.txt');  // true
 * policy.matches('https://files.acme.com/coachingx');       // false: not on a segment boundary
 * policy.matches('http://api.acme.com/v1/users');           // false: another scheme
 * ```
 */
export function outboundPolicy(origins: Origins): OutboundPolicy {
  const known = typeof origins === 'object' ? policies.get(origins) : undefined;
  if (known) return known;
  const entries =
    Array.isArray(origins) && origins.every((o) => typeof o === 'string') ? origins.join('\n') : undefined;
  const same = entries === undefined ? undefined : recent.get(entries);
  if (same) {
    policies.set(origins as readonly string[], same);
    return same;
  }
  if (origins !== '*' && (!Array.isArray(origins) || origins.length === 0))
    throw invalid(origins, "must be a non-empty list of origins or URL prefixes, or '*'");
  const rules = origins === '*' || origins.includes('*') ? undefined : origins.map(parse);
  // An absolute URL string that starts with `<origin>/` of an origin-only rule is on that origin: the
  // authority ends at that `/`. Anything else (a path rule, another spelling) is parsed below.
  const fast = rules ? rules.filter(([, p]) => p === '').map(([o]) => `${o}/`) : [];
  const policy: OutboundPolicy = {
    matches(url) {
      if (typeof url === 'string') for (const prefix of fast) if (url.startsWith(prefix)) return true;
      let target: URL;
      try {
        target = new URL(url, (globalThis as { location?: { href?: string } }).location?.href);
      } catch {
        return false;
      }
      if (!/^https?:$/.test(target.protocol)) return false;
      if (!rules) return true;
      const { origin, pathname } = target;
      return rules.some(([o, p]) => o === origin && (pathname === p || pathname.startsWith(`${p}/`)));
    },
  };
  if (typeof origins === 'object') policies.set(origins, policy);
  if (entries !== undefined) {
    recent.set(entries, policy);
    if (recent.size > RECENT_POLICIES) recent.delete(recent.keys().next().value as string);
  }
  return policy;
}

/**
 * Whether the caller already set an `Authorization` header, which an adapter never overwrites.
 *
 * @example
 * ```ts
 * hasAuthorization({ Authorization: 'Basic dXNlcjpwdw==' }); // true
 * hasAuthorization(undefined);                              // false
 * ```
 */
export function hasAuthorization(headers: HeadersInit | undefined): boolean {
  if (headers === undefined || headers === null) return false;
  if (headers instanceof Headers) return headers.has('authorization');
  if (Array.isArray(headers)) return headers.some(([name]) => String(name).toLowerCase() === 'authorization');
  for (const name in headers) if (name.toLowerCase() === 'authorization') return true;
  return false;
}

/**
 * `headers` (a copy) with `Authorization: Bearer <token>`, through {@link bearer}: a token no header can
 * carry is a `GRANTKIT_INVALID_RESPONSE` error that does not quote it.
 *
 * @example
 * ```ts
 * const headers = withBearer(init?.headers, await source.getToken());
 * ```
 */
export function withBearer(headers: HeadersInit | undefined, token: AccessToken | string): Headers {
  const authorized = new Headers(headers);
  authorized.set('authorization', bearer(token));
  return authorized;
}

/** The last header value known to be one a `Headers` object accepts: checked once per token, not per call. */
let accepted: string | undefined;

/**
 * The `Authorization` header value for a token (RFC 6750). A token that cannot travel in a header (a custom
 * `TokenSource` returning a line break, say) is a `GRANTKIT_INVALID_RESPONSE` {@link GrantkitError} whose
 * message does not contain it — the runtime's own `TypeError` from `headers.set` would quote the value.
 *
 * @example
 * ```ts
 * headers.set('authorization', bearer(await source.getToken()));
 * ```
 */
export function bearer(token: AccessToken | string): string {
  const value = `Bearer ${typeof token === 'string' ? token : token.accessToken}`;
  if (value === accepted) return value;
  try {
    new Headers().set('authorization', value);
  } catch {
    throw new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      'The access token cannot be sent in an Authorization header (it contains characters a header refuses).',
    );
  }
  accepted = value;
  return value;
}

/**
 * Whether a request body can be sent a second time: `null`/`undefined`, a string, `URLSearchParams`,
 * `FormData`, `Blob`, an `ArrayBuffer` or a view of one. A `ReadableStream` (or anything unknown) cannot:
 * it is consumed by the first send.
 *
 * @example
 * ```ts
 * isReplayableBody(JSON.stringify({ a: 1 })); // true
 * isReplayableBody(file.stream());            // false
 * ```
 */
export function isReplayableBody(body: unknown): boolean {
  return (
    body == null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    (typeof FormData === 'function' && body instanceof FormData) ||
    (typeof Blob === 'function' && body instanceof Blob) ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}

/**
 * Whether the API rejected the token, so that invalidating it and replaying once may succeed: a `401`,
 * unless its `WWW-Authenticate` header names a Bearer `error` other than `invalid_token` (RFC 6750 §3.1 —
 * `invalid_request`, say, would fail again with any token).
 *
 * @example
 * ```ts
 * if (isTokenRejected(response)) source.invalidate(token.accessToken);
 * ```
 */
export function isTokenRejected(response: Response): boolean {
  if (response.status !== 401) return false;
  const error = /(?:^|[\s,])error\s*=\s*"?([^",\s]*)/i.exec(response.headers.get('www-authenticate') ?? '');
  return !error || error[1] === 'invalid_token';
}
