import { bufferBody, GrantkitError } from '@grantkit/core';

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus `proxy-connection`.
 * A proxy never forwards them, nor any header the `Connection` header names.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Request headers the proxy sets itself or must never pass on: credentials, cookies, framing. */
const REQUEST_DROPPED = ['authorization', 'cookie', 'host', 'content-length', 'expect', 'accept-encoding'];

/** Response headers that belong to the upstream's session or to a body `fetch` already decoded. */
const RESPONSE_DROPPED = ['set-cookie', 'content-encoding', 'content-length'];

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/;

function withoutHopByHop(headers: Headers, dropped: readonly string[]): Headers {
  const kept = new Headers(headers);
  for (const name of (headers.get('connection') ?? '').split(',')) {
    const trimmed = name.trim();
    if (TOKEN.test(trimmed)) kept.delete(trimmed);
  }
  for (const name of [...HOP_BY_HOP, ...dropped]) kept.delete(name);
  return kept;
}

/**
 * Request headers that say who the caller is or where it came from: a caller can forge every one of them,
 * and beside the service's token an upstream would take them as the proxy's word. Dropped unless named
 * in `forwardHeaders` (an entry ending in `*` names a prefix, as these do).
 */
const ASSERTIONS = ['forwarded', 'x-forwarded-*', 'x-real-ip', 'x-user-*'];

const named = (name: string, list: readonly string[]): boolean =>
  list.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));

/**
 * The headers an authenticating proxy forwards upstream: the caller's own, without its `Authorization`,
 * cookies, `Host`, framing and hop-by-hop headers, and without `Forwarded`, `X-Forwarded-*`, `X-Real-IP`
 * and `X-User-*` unless `forward` names them. The proxy then sets the service's token.
 */
export function proxyRequestHeaders(incoming: Headers, forward: readonly string[] = []): Headers {
  const kept = withoutHopByHop(incoming, REQUEST_DROPPED);
  const allowed = forward.map((name) => name.toLowerCase());
  for (const [name] of incoming) if (named(name, ASSERTIONS) && !named(name, allowed)) kept.delete(name);
  return kept;
}

/**
 * The headers an authenticating proxy sends back: the upstream's, without hop-by-hop headers, `Set-Cookie`
 * (the upstream's session with the service is not the browser's) and the encoding headers of a body that
 * `fetch` has already decoded.
 */
export function proxyResponseHeaders(upstream: Headers): Headers {
  return withoutHopByHop(upstream, RESPONSE_DROPPED);
}

/**
 * Maps an incoming path and query onto `target` (an origin with an optional base path). The result is
 * always on `target`'s origin and under its base path: a path such as `//evil.com/x`, `/\evil.com` or
 * `/../admin` never changes the origin, and one that climbs above the base path gives `undefined`.
 *
 * @example
 * ```ts
 * proxyUrl('https://api.acme.com/v1', '/users/7', '?x=1')?.href; // 'https://api.acme.com/v1/users/7?x=1'
 * proxyUrl('https://api.acme.com/v1', '/../admin', '');           // undefined
 * ```
 */
export function proxyUrl(target: string | URL, path: string, search = ''): URL | undefined {
  const base = new URL(target);
  const basePath = base.pathname.replace(/\/+$/, '');
  const relative = path.replace(/^[/\\]+/, '');
  const query = search === '' || search.startsWith('?') ? search : `?${search}`;
  let mapped: URL;
  try {
    mapped = new URL(`${base.origin}${basePath}/${relative}${query}`);
  } catch {
    return undefined;
  }
  if (mapped.origin !== base.origin) return undefined;
  const within = mapped.pathname === basePath || mapped.pathname.startsWith(`${basePath}/`);
  return within ? mapped : undefined;
}

/**
 * Checks a proxy target: an absolute `http:`/`https:` URL without credentials, query or fragment. Throws a
 * `GRANTKIT_CONFIGURATION` error otherwise, so a static target fails when the proxy is built.
 */
export function proxyTarget(target: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof target === 'string' || target instanceof URL ? new URL(target) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash)
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      'authProxy: `target` must be an absolute http: or https: URL without credentials, query or fragment',
    );
  return url;
}

/**
 * Whether a path carries an encoded slash or backslash (`%2F`, `%5C`, any case). A path that does is
 * refused: the URL parser resolved the real dot-segments already, and an upstream decoding `..%2f` would
 * climb where the proxy never checked.
 */
export const hasEncodedSeparator = (path: string): boolean => /%(?:2f|5c)/i.test(path);

/** Strips the mount `prefix` from `path` on a segment boundary; `undefined` when `path` is not under it. */
export function stripMount(path: string, prefix: string): string | undefined {
  const mount = prefix.replace(/\/+$/, '');
  if (!mount) return path;
  if (path === mount) return '/';
  return path.startsWith(`${mount}/`) ? path.slice(mount.length) : undefined;
}

/** The `fetch` options of a proxied request (with `duplex`, which a streamed body needs). */
export type ProxyRequestInit = RequestInit & { duplex?: 'half' };

/**
 * The upstream request of an authenticating proxy: the caller's method, its headers through
 * {@link proxyRequestHeaders}, redirects not followed, and the body through {@link bufferBody} (bytes up to
 * `limit`, so a 401 can be replayed; a stream beyond it). GET and HEAD carry no body.
 */
export async function proxyRequestInit(
  request: Request,
  limit: number,
  forward: readonly string[],
): Promise<ProxyRequestInit> {
  const { method, body } = request;
  const init: ProxyRequestInit = {
    method,
    headers: proxyRequestHeaders(request.headers, forward),
    redirect: 'manual',
    signal: request.signal,
  };
  if (body && method !== 'GET' && method !== 'HEAD') {
    init.body = await bufferBody(body, limit);
    if (init.body instanceof ReadableStream) init.duplex = 'half';
  }
  return init;
}
