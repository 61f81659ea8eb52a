import type {
  AccessToken,
  ClientCredentialsGetTokenOptions,
  GetTokenOptions,
  TokenSource,
} from '@grantkit/core';
import { type AuthFetchOptions, authFetch } from './auth-fetch.js';

/**
 * A token source bound to one request's settings: a fetch that carries the token to the configured origins
 * only, and the token itself for clients that need it. The Hono and Express middleware put one on
 * `c.var.grantkit` / `req.grantkit`.
 *
 * @example
 * ```ts
 * const client: AuthClient = authClient(source, { origins: ['https://api.acme.com'] });
 * const sessions = await (await client.fetch('https://api.acme.com/sessions')).json();
 * ```
 */
export interface AuthClient {
  /** A `fetch` that carries the token to the configured origins only (see {@link authFetch}). */
  readonly fetch: typeof fetch;
  /** The current access token (cached, refreshed ahead by the source). */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** The token source behind this client. */
  readonly source: TokenSource;
}

/**
 * Builds an {@link AuthClient}: {@link authFetch} plus `getToken`, both handing background refresh work to
 * `options.waitUntil` when given.
 *
 * @example
 * ```ts
 * const client = authClient(source, { origins: ['https://api.acme.com'], waitUntil: (p) => ctx.waitUntil(p) });
 * const { accessToken } = await client.getToken();
 * ```
 */
export function authClient(source: TokenSource, options: AuthFetchOptions): AuthClient {
  const { waitUntil } = options;
  return {
    fetch: authFetch(source, options),
    getToken: (call?: GetTokenOptions) => {
      const options: ClientCredentialsGetTokenOptions = waitUntil ? { ...call, waitUntil } : { ...call };
      return source.getToken(options);
    },
    source,
  };
}
