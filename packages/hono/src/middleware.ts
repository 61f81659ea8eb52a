import {
  type GrantkitError,
  isGrantkitError,
  type Origins,
  outboundPolicy,
  tokenProblemResponse,
} from '@grantkit/core';
import { authClient } from '@grantkit/fetch';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { GrantkitClient } from './client.js';
import { waitUntilOf } from './execution.js';
import { resolveSource, type SourceOption } from './resolve.js';

/**
 * The variables {@link grantkit} adds: `c.var.grantkit` is typed in the routes behind the middleware only.
 *
 * @example
 * ```ts
 * const handler = (c: Context<GrantkitEnv>) => c.var.grantkit.fetch('https://api.acme.com/things');
 * ```
 */
export interface GrantkitEnv {
  Variables: { grantkit: GrantkitClient };
}

/**
 * Options of {@link grantkit}.
 *
 * @example
 * ```ts
 * const options: GrantkitOptions = { source, origins: ['https://api.acme.com'] };
 * ```
 */
export interface GrantkitOptions<E extends Env = Env> {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption<Context<E>>;
  /** Origins or URL prefixes that get the token; `'*'` for every URL. */
  readonly origins: Origins;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Answers a token failure (thrown by `c.var.grantkit` in a route, or by the source resolver). Default:
   * an RFC 9457 `application/problem+json` response, `502` or `503`, carrying the error's stable `code`.
   */
  readonly onError?: ((error: GrantkitError, c: Context<E>) => Response | Promise<Response>) | undefined;
}

/**
 * Hono middleware that puts an authenticated client on `c.var.grantkit`. Tokens are fetched on first
 * use, cached by the source, and their background refresh is handed to `c.executionCtx.waitUntil` on
 * Workers. Throws `GRANTKIT_CONFIGURATION` at once for malformed `origins`. A token failure becomes a `502`/`503` problem response (or what `onError` answers).
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { grantkit } from '@grantkit/hono';
 * import { Hono } from 'hono';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret });
 * const app = new Hono()
 *   .use(grantkit({ source, origins: ['https://api.acme.com'] }))
 *   .get('/profile', async (c) => c.json(await (await c.var.grantkit.fetch('https://api.acme.com/me')).json()));
 * ```
 */
export function grantkit<E extends Env = Env>(
  options: GrantkitOptions<E>,
): MiddlewareHandler<E & GrantkitEnv> {
  outboundPolicy(options.origins); // a malformed origin fails here, at start-up, not on a request
  const answer = async (error: GrantkitError, c: Context<E>): Promise<Response> =>
    options.onError ? options.onError(error, c) : (tokenProblemResponse(error) as Response);
  return createMiddleware<E & GrantkitEnv>(async (c, next) => {
    const context = c as unknown as Context<E>;
    let client: GrantkitClient;
    try {
      const source = resolveSource(options.source, context);
      client = authClient(source, {
        origins: options.origins,
        fetch: options.fetch,
        waitUntil: waitUntilOf(c),
      });
    } catch (error) {
      if (isGrantkitError(error)) return answer(error, context);
      throw error;
    }
    (c as unknown as Context<GrantkitEnv>).set('grantkit', client);
    await next();
    if (isGrantkitError(c.error)) {
      const response = await answer(c.error, context);
      c.res = undefined;
      c.res = response;
    }
    return undefined;
  });
}
