import {
  type AccessToken,
  bearer,
  type ClientCredentialsGetTokenOptions,
  hasAuthorization,
  isReplayableBody,
  isTokenRejected,
  type Origins,
  outboundPolicy,
  type TokenSource,
  type WaitUntil,
} from '@grantkit/core';

/**
 * fetch's exact signature: what {@link authFetch} returns, usable anywhere a `fetch` is expected.
 *
 * @example
 * ```ts
 * const api: Fetch = authFetch(source, { origins: ['https://api.acme.com'] });
 * ```
 */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Options of {@link authFetch}.
 *
 * @example
 * ```ts
 * const options: AuthFetchOptions = { origins: ['https://api.acme.com', 'https://files.acme.com/coaching/'] };
 * ```
 */
export interface AuthFetchOptions {
  /**
   * Where the token goes: origins (`https://api.acme.com`, exact scheme, host and port), URL prefixes
   * (`https://api.acme.com/coaching/`), or `'*'` to send it to any origin. Other requests pass through
   * untouched.
   */
  readonly origins: Origins;
  /** The fetch to wrap. Default: `globalThis.fetch`, looked up on every call. */
  readonly fetch?: Fetch | undefined;
  /** Handed to `getToken` so that background refresh outlives the request (Workers: `ctx.waitUntil`). */
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * Wraps fetch so that requests to the configured origins carry `Authorization: Bearer <token>` from
 * `source`. A caller's own `Authorization` header is never overwritten. When the API answers 401 (see
 * `isTokenRejected`), the token that was used is invalidated and the request is sent once more with a fresh
 * token and the same body; a second 401, or a 401 for a request whose body was a stream, is returned as is.
 * The caller's `signal` also bounds its wait for a token. Token errors reject with core's `GrantkitError`.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { authFetch } from '@grantkit/fetch';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret: process.env.CLIENT_SECRET! });
 * const api = authFetch(source, { origins: ['https://api.acme.com'] });
 * const users = await (await api('https://api.acme.com/v1/users')).json();
 * ```
 */
export function authFetch(source: TokenSource, options: AuthFetchOptions): Fetch {
  const policy = outboundPolicy(options.origins);
  const send: Fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const headers = init?.headers ?? request?.headers;
    if (!policy.matches(request ? request.url : String(input)) || hasAuthorization(headers))
      return send(input, init);
    const call: ClientCredentialsGetTokenOptions = {
      signal: init?.signal ?? request?.signal,
      waitUntil: options.waitUntil,
    };
    const attempt = (target: RequestInfo | URL, token: AccessToken): Promise<Response> => {
      const authorized = new Headers(headers);
      authorized.set('authorization', bearer(token));
      return send(target, { ...init, headers: authorized });
    };
    const token = await source.getToken(call);
    // A Request's body is read by the first send: keep a copy for the replay before it goes.
    const replay = isReplayableBody(init?.body) ? (request?.clone() ?? input) : undefined;
    const response = await attempt(input, token);
    if (!isTokenRejected(response)) {
      if (replay instanceof Request) void replay.body?.cancel().catch(() => {});
      return response;
    }
    source.invalidate(token.accessToken);
    if (!replay) return response;
    void response.body?.cancel().catch(() => {});
    return attempt(replay, await source.getToken(call));
  };
}
