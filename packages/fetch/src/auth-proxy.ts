import {
  type GrantkitError,
  isGrantkitError,
  type PerRequest,
  resolveSource,
  type SourceOption,
  type WaitUntil,
} from '@grantkit/core';
import { authFetch, type Fetch } from './auth-fetch.js';
import { proxiedLocation } from './location.js';
import { proxyProblemResponse, tokenProblemResponse } from './problem.js';
import {
  hasEncodedSeparator,
  proxyRequestInit,
  proxyResponseHeaders,
  proxyTarget,
  proxyUrl,
  stripMount,
} from './proxy-steps.js';

/** Request bodies up to this size are kept for a replay after a 401 (1 MiB). */
const DEFAULT_MAX_REPLAY_BODY_BYTES = 1_048_576;

/**
 * Options of {@link authProxy}. `Context` is what the functions among them receive: the `Request` itself by
 * default, or what a framework adapter passes (Hono's `c`, Express's `req`, a Worker's `env`).
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: 'https://api.acme.com/v1', stripPrefix: '/coaching' };
 * ```
 */
export interface AuthProxyOptions<Context = Request> {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption<Context>;
  /**
   * The protected API: an absolute URL, origin plus an optional base path, or a function of the request
   * context returning one. Requests never leave its origin or base path. A fixed target is checked when
   * the proxy is built (a `GRANTKIT_CONFIGURATION` error).
   */
  readonly target: PerRequest<string | URL, Context>;
  /** Removed from the start of the incoming path (the route the proxy is mounted on). */
  readonly stripPrefix?: PerRequest<string, Context> | undefined;
  /** Maps the incoming path (after `stripPrefix`) to the path under `target`. */
  readonly rewrite?: ((path: string, context: Context) => string) | undefined;
  /**
   * Request bodies up to this many bytes are buffered, so a `401` can be replayed with a new token; longer
   * bodies are streamed upstream and their `401` is answered as it is. Default 1 MiB.
   */
  readonly maxReplayBodyBytes?: number | undefined;
  /**
   * Caller headers that assert who the caller is or where it came from — `Forwarded`, `X-Forwarded-*`,
   * `X-Real-IP`, `X-User-*` — are dropped, since beside the service's token the upstream would take them
   * as the proxy's word. Name the ones to keep (`'x-forwarded-for'`, or a prefix: `'x-user-*'`).
   */
  readonly forwardHeaders?: readonly string[] | undefined;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: Fetch | undefined;
  /** Answers a token failure. Default: an RFC 9457 problem response, `502` or `503`, with the stable `code`. */
  readonly onError?: ((error: GrantkitError, context: Context) => Response | Promise<Response>) | undefined;
}

/**
 * One call of the handler: the context the options' functions receive (default: the request), and where
 * background token refresh goes (Workers: `ctx.waitUntil`).
 *
 * @example
 * ```ts
 * const call: ProxyCall<Env> = { context: env, waitUntil: (p) => ctx.waitUntil(p) };
 * ```
 */
export interface ProxyCall<Context> {
  readonly context: Context;
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * An authenticating proxy as one web-standard handler, `Request → Response`. Called with the request alone
 * (extra arguments, such as a Worker's `env` and `ctx`, are ignored), the options' functions receive the
 * request; `handle(request, { context, waitUntil })` passes a framework's context instead.
 *
 * @example
 * ```ts
 * const proxy: AuthProxy = authProxy({ source, target: 'https://api.acme.com/v1' });
 * const response = await proxy(new Request('https://proxy.local/users'));
 * ```
 */
export interface AuthProxy<Context = Request> {
  (request: Request): Promise<Response>;
  /** Forwards `request` with the options' functions reading `call.context`, refresh work to `call.waitUntil`. */
  handle(request: Request, call: ProxyCall<Context>): Promise<Response>;
}

const resolve = <Value, Context>(option: PerRequest<Value, Context>, context: Context): Value =>
  typeof option === 'function' ? (option as (context: Context) => Value)(context) : option;

/**
 * Forwards requests to a protected API with the service's token, as a `(request) => Promise<Response>`
 * handler for Workers, Deno, Bun or any fetch-style server; `@grantkit/hono`'s and `@grantkit/express`'s
 * `authProxy` are thin wrappers over it. What it does:
 * - maps the path under `target` (after `stripPrefix` and `rewrite`); a path outside `stripPrefix` (also
 *   after `..` or `%2e%2e` segments), one that would leave the target, or one that carries an encoded
 *   slash or backslash (`..%2f`, `%5C`, any case) is a `400` problem;
 * - drops the caller's `Authorization`, cookies, hop-by-hop headers and forwarding/identity headers (see
 *   `forwardHeaders`), and forwards method, query and body;
 * - replays a `401` once with a new token (bodies up to `maxReplayBodyBytes`) under core's 401 rule, so a
 *   path that always answers 401 costs one token request, not one per call;
 * - streams the response back without `Set-Cookie`; a `Location` on the target is rewritten to the
 *   proxy's own path, one on the target's origin outside it is removed, one elsewhere passes through;
 * - an unreachable upstream is a `502`, a `TimeoutError` a `504`, a token failure a `502`/`503` (or what
 *   `onError` answers) — problem responses that name no address, stack or token.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { authProxy } from '@grantkit/fetch';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret });
 * const proxy = authProxy({ source, target: 'https://api.acme.com/coaching', stripPrefix: '/coaching' });
 * export default { fetch: (request: Request) => proxy(request) };
 * ```
 */
export function authProxy<Context = Request>(options: AuthProxyOptions<Context>): AuthProxy<Context> {
  const limit = options.maxReplayBodyBytes ?? DEFAULT_MAX_REPLAY_BODY_BYTES;
  const forward = options.forwardHeaders ?? [];
  const fixed = typeof options.target === 'function' ? undefined : proxyTarget(options.target);
  const handle = async (request: Request, call: ProxyCall<Context> | undefined): Promise<Response> => {
    const context = call ? call.context : (request as Context);
    const incoming = new URL(request.url);
    const mount = resolve(options.stripPrefix ?? '', context);
    // Dot-segments are resolved by now: a path that climbed out of the mount is refused, not remapped.
    const path = stripMount(incoming.pathname, mount);
    try {
      const target = fixed ?? proxyTarget(resolve(options.target, context));
      const url =
        path === undefined || hasEncodedSeparator(incoming.pathname)
          ? undefined
          : proxyUrl(target, options.rewrite ? options.rewrite(path, context) : path, incoming.search);
      if (!url) return proxyProblemResponse(400);
      const send = authFetch(resolveSource(options.source, context), {
        origins: [target.href],
        fetch: options.fetch,
        waitUntil: call?.waitUntil,
      });
      const upstream = await send(url, await proxyRequestInit(request, limit, forward));
      const headers = proxyResponseHeaders(upstream.headers);
      const location = headers.get('location');
      if (location !== null) {
        const shown = proxiedLocation(location, url, target, mount, !options.rewrite);
        if (shown === undefined) headers.delete('location');
        else headers.set('location', shown);
      }
      return new Response(upstream.body, {
        status: upstream.status,
        statusText: upstream.statusText,
        headers,
      });
    } catch (error) {
      if (isGrantkitError(error))
        return options.onError ? options.onError(error, context) : (tokenProblemResponse(error) as Response);
      if (request.signal.aborted) throw error;
      return proxyProblemResponse((error as Error | undefined)?.name === 'TimeoutError' ? 504 : 502);
    }
  };
  return Object.assign((request: Request) => handle(request, undefined), { handle });
}
