import type {
  AccessToken,
  ClientCredentialsGetTokenOptions,
  GetTokenOptions,
  Origins,
  TokenSource,
} from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';

/**
 * What the middleware puts on `req.grantkit`: a fetch that adds the service's token for the configured
 * origins (and replays once on 401), and the token itself for clients that need it.
 *
 * @example
 * ```ts
 * app.get('/sessions', async (req: GrantkitRequest, res) => {
 *   res.json(await (await req.grantkit.fetch('https://api.acme.com/sessions')).json());
 * });
 * ```
 */
export interface GrantkitClient {
  /** A `fetch` that carries the token to the configured origins only. */
  readonly fetch: typeof fetch;
  /** The current access token (cached, refreshed ahead by the source). */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** The token source this request resolved to. */
  readonly source: TokenSource;
}

export function createClient(
  source: TokenSource,
  settings: { readonly origins: Origins; readonly fetch?: typeof fetch | undefined },
): GrantkitClient {
  return {
    fetch: authFetch(source, settings),
    getToken: (options = {}) => {
      const call: ClientCredentialsGetTokenOptions = options;
      return source.getToken(call);
    },
    source,
  };
}
