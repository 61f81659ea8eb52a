import {
  type GrantkitError,
  isGrantkitError,
  type Origins,
  outboundPolicy,
  type PerRequest,
  resolveSource,
  type SourceOption,
} from '@grantkit/core';
import { type AuthClient, authClient, tokenProblemResponse } from '@grantkit/fetch';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { waitUntilOf } from './execution.js';

/**
 * What the middleware puts on `c.var.grantkit`: `@grantkit/fetch`'s `AuthClient` — a fetch that adds the
 * service's token for the configured origins (and replays once on 401), and the token itself.
 *
 * @example
 * ```ts
 * app.get('/sessions', async (c) => c.json(await (await c.var.grantkit.fetch('https://api.acme.com/sessions')).json()));
 * ```
 */
export type GrantkitClient = AuthClient;

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
  /**
   * Origins or URL prefixes that get the token, `'*'` for every URL — or a function of `c` returning them
   * (`(c) => [c.env.API_ORIGIN]`), so a Worker builds the middleware once, at module scope.
   */
  readonly origins: PerRequest<Origins, Context<E>>;
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
 * Workers. Throws `GRANTKIT_CONFIGURATION` at once for malformed fixed `origins`. A token failure becomes
 * a `502`/`503` problem response (or what `onError` answers).
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
  const { origins } = options;
  if (typeof origins !== 'function') outboundPolicy(origins); // a malformed origin fails at start-up
  const answer = async (error: GrantkitError, c: Context<E>): Promise<Response> =>
    options.onError ? options.onError(error, c) : (tokenProblemResponse(error) as Response);
  return createMiddleware<E & GrantkitEnv>(async (c, next) => {
    const context = c as unknown as Context<E>;
    let client: GrantkitClient;
    try {
      const source = resolveSource(options.source, context);
      client = authClient(source, {
        origins: typeof origins === 'function' ? origins(context) : origins,
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
