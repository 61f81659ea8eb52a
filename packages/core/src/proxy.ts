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
 * The headers an authenticating proxy forwards upstream: the caller's own, without its `Authorization`,
 * cookies, `Host`, framing and hop-by-hop headers. The proxy then sets the service's token.
 *
 * @example
 * ```ts
 * const headers = proxyRequestHeaders(request.headers); // no authorization, cookie, host, connection, …
 * ```
 */
export function proxyRequestHeaders(incoming: Headers): Headers {
  return withoutHopByHop(incoming, REQUEST_DROPPED);
}

/**
 * The headers an authenticating proxy sends back: the upstream's, without hop-by-hop headers, `Set-Cookie`
 * (the upstream's session with the service is not the browser's) and the encoding headers of a body that
 * `fetch` has already decoded.
 *
 * @example
 * ```ts
 * return new Response(upstream.body, { status: upstream.status, headers: proxyResponseHeaders(upstream.headers) });
 * ```
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
 * A request body that is replayable when it is small: reads `stream` up to `limit` bytes. A body that
 * ends within the limit comes back as bytes (a 401 can be replayed with it); a longer one comes back as a
 * stream that yields everything, read or not (it cannot be replayed).
 *
 * @example
 * ```ts
 * const body = request.body && (await bufferBody(request.body, 1_048_576));
 * ```
 */
export async function bufferBody(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) {
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return bytes;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const chunk = chunks.shift();
      if (chunk) return controller.enqueue(chunk);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Where an authenticating proxy forwards: {@link proxyRoute}'s options. `rewrite` sees the path after
 * `stripPrefix` and the framework's request context.
 *
 * @example
 * ```ts
 * const route: ProxyRoute<Context> = { target: 'https://api.acme.com/v1', stripPrefix: '/coaching' };
 * ```
 */
export interface ProxyRoute<Context> {
  /** The protected API: an origin with an optional base path. Requests never leave its origin or base path. */
  readonly target: string | URL;
  /** Removed from the start of the incoming path (the route the proxy is mounted on). */
  readonly stripPrefix?: string | undefined;
  /** Maps the incoming path (after `stripPrefix`) to the path under `target`. */
  readonly rewrite?: ((path: string, context: Context) => string) | undefined;
}

/**
 * The path mapping every proxy adapter shares: strips the mount prefix, applies `rewrite`, and keeps the
 * result on `target` with {@link proxyUrl} (`undefined` for a path that would leave it).
 *
 * @example
 * ```ts
 * const upstreamUrl = proxyRoute({ target: 'https://api.acme.com/v1', stripPrefix: '/coaching' });
 * upstreamUrl('/coaching/sessions', '?page=2', c)?.href; // 'https://api.acme.com/v1/sessions?page=2'
 * ```
 */
export function proxyRoute<Context>(
  route: ProxyRoute<Context>,
): (path: string, search: string, context: Context) => URL | undefined {
  const prefix = route.stripPrefix?.replace(/\/+$/, '');
  return (path, search, context) => {
    const stripped =
      prefix && (path === prefix || path.startsWith(`${prefix}/`)) ? path.slice(prefix.length) : path;
    return proxyUrl(route.target, route.rewrite ? route.rewrite(stripped, context) : stripped, search);
  };
}

/** The `fetch` options of a proxied request (with `duplex`, which a streamed body needs). */
export type ProxyRequestInit = RequestInit & { duplex?: 'half' };

/**
 * The upstream request of an authenticating proxy: the caller's method, its headers through
 * {@link proxyRequestHeaders}, redirects not followed, and the body through {@link bufferBody} (bytes up to
 * `limit`, so a 401 can be replayed; a stream beyond it). GET and HEAD carry no body.
 *
 * @example
 * ```ts
 * const init = await proxyRequestInit({ method, headers, body, signal }, 1_048_576);
 * const upstream = await authFetch(source, { origins: [url.origin] })(url, init);
 * ```
 */
export async function proxyRequestInit(
  incoming: {
    readonly method: string;
    readonly headers: Headers;
    readonly body: ReadableStream<Uint8Array> | null | undefined;
    readonly signal: AbortSignal;
  },
  limit: number,
): Promise<ProxyRequestInit> {
  const { method, body } = incoming;
  const init: ProxyRequestInit = {
    method,
    headers: proxyRequestHeaders(incoming.headers),
    redirect: 'manual',
    signal: incoming.signal,
  };
  if (body && method !== 'GET' && method !== 'HEAD') {
    init.body = await bufferBody(body, limit);
    if (init.body instanceof ReadableStream) init.duplex = 'half';
  }
  return init;
}

/**
 * The RFC 9457 problem a proxy answers for a path that does not map onto its target.
 *
 * @example
 * ```ts
 * if (!url) return Response.json(PROXY_PATH_PROBLEM, { status: 400 });
 * ```
 */
export const PROXY_PATH_PROBLEM = {
  title: 'Bad Request',
  status: 400,
  detail: 'The path does not map onto the proxied API.',
} as const;
