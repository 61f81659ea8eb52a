import {
  type GrantkitError,
  isGrantkitError,
  PROXY_PATH_PROBLEM,
  type ProxyRoute,
  proxyRequestInit,
  proxyResponseHeaders,
  proxyRoute,
  tokenProblemResponse,
} from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import type { Context, Env, Handler } from 'hono';
import { waitUntilOf } from './execution.js';
import { resolveSource, type SourceOption } from './resolve.js';

/**
 * Options of {@link authProxy}.
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: 'https://api.acme.com/v1', stripPrefix: '/coaching' };
 * ```
 */
export interface AuthProxyOptions<E extends Env = Env> extends ProxyRoute<Context<E>> {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption<Context<E>>;
  /**
   * Request bodies up to this many bytes are buffered, so a `401` can be replayed with a new token; longer
   * bodies are streamed upstream and their `401` is answered as it is. Default 1 MiB.
   */
  readonly maxReplayBodyBytes?: number | undefined;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Answers a token failure. Default: an RFC 9457 problem response, `502` or `503`, with the stable `code`. */
  readonly onError?: ((error: GrantkitError, c: Context<E>) => Response | Promise<Response>) | undefined;
}

function badPath(): Response {
  return new Response(JSON.stringify(PROXY_PATH_PROBLEM), {
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/**
 * A Hono handler forwarding requests to a protected API with the service's token: the caller's
 * `Authorization`, cookies and hop-by-hop headers are dropped, method, query and body are forwarded, a
 * `401` is replayed once with a new token (bodies up to `maxReplayBodyBytes`), and the response streams
 * back without `Set-Cookie`. The browser never sees the secret or the token.
 *
 * @example
 * ```ts
 * import { authProxy } from '@grantkit/hono';
 *
 * app.all('/coaching/*', authProxy({ source, target: 'https://api.acme.com/coaching', stripPrefix: '/coaching' }));
 * ```
 */
export function authProxy<E extends Env = Env>(options: AuthProxyOptions<E>): Handler<E> {
  const limit = options.maxReplayBodyBytes ?? 1_048_576;
  const upstreamUrl = proxyRoute(options);
  return async (c) => {
    const incoming = new URL(c.req.url);
    const url = upstreamUrl(incoming.pathname, incoming.search, c);
    if (!url) return badPath();
    try {
      const source = resolveSource(options.source, c);
      const send = authFetch(source, {
        origins: [url.origin],
        fetch: options.fetch,
        waitUntil: waitUntilOf(c),
      });
      const init = await proxyRequestInit(c.req.raw, limit);
      const upstream = await send(url, init);
      return new Response(upstream.body, {
        status: upstream.status,
        statusText: upstream.statusText,
        headers: proxyResponseHeaders(upstream.headers),
      });
    } catch (error) {
      if (!isGrantkitError(error)) throw error;
      return options.onError ? options.onError(error, c) : (tokenProblemResponse(error) as Response);
    }
  };
}
