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
