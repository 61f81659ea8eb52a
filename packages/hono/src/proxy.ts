import { type AuthProxyOptions as FetchAuthProxyOptions, authProxy as fetchAuthProxy } from '@grantkit/fetch';
import type { Context, Env, Handler } from 'hono';
import { waitUntilOf } from './execution.js';

/**
 * Options of {@link authProxy}: `@grantkit/fetch`'s, with Hono's `c` as the context that `source`,
 * `target`, `stripPrefix`, `rewrite` and `onError` may read (`c.env` on Workers).
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: (c) => c.env.API_URL, stripPrefix: '/coaching' };
 * ```
 */
export type AuthProxyOptions<E extends Env = Env> = FetchAuthProxyOptions<Context<E>>;

/**
 * A Hono handler over `@grantkit/fetch`'s web-standard `authProxy`: forwards requests to a protected API
 * with the service's token, and hands background token refresh to `c.executionCtx.waitUntil` on Workers.
 * See `@grantkit/fetch` for what it forwards, refuses (`400`) and answers (`502`, `504`, token problems).
 *
 * @example
 * ```ts
 * import { authProxy } from '@grantkit/hono';
 *
 * app.all('/coaching/*', authProxy({ source, target: 'https://api.acme.com/coaching', stripPrefix: '/coaching' }));
 * ```
 */
export function authProxy<E extends Env = Env>(options: AuthProxyOptions<E>): Handler<E> {
  const proxy = fetchAuthProxy(options);
  return (c) => proxy.handle(c.req.raw, { context: c, waitUntil: waitUntilOf(c) });
}
