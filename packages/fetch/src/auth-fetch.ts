import {
  type AccessToken,
  bearer,
  type ClientCredentialsGetTokenOptions,
  followRedirects,
  GrantkitError,
  hasAuthorization,
  isRedirect,
  isReplayableBody,
  type Origins,
  outboundPolicy,
  type RedirectHop,
  replayGuard,
  type TokenSource,
  type WaitUntil,
  withBearer,
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

/** Fails at construction, as a `GRANTKIT_CONFIGURATION` error, when the options object itself is missing. */
export function requireOptions<T>(options: T | undefined, call: string): T {
  if (options === null || typeof options !== 'object')
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      `${call}: options are required, with at least \`origins\` (e.g. { origins: ['https://api.acme.com'] })`,
    );
  return options;
}

/**
 * Wraps fetch so that requests to the configured origins carry `Authorization: Bearer <token>` from
 * `source`. A caller's own `Authorization` header is never overwritten. Redirects of a request carrying
 * the token are followed here, one hop at a time, and the token goes only to hops the origins allow (a
 * 307/308 of a stream body is returned as is). When the API rejects the token, the request is sent once
 * more with a new token and the same body, under core's 401 rule (`replayGuard`): a 401 from an origin
 * not listed, of a stream body, or from a URL that refused a fresh token before, is returned as is and
 * costs no token request. The caller's `signal` also bounds its wait for a token. Token errors reject
 * with core's `GrantkitError`.
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
  const { origins, fetch: transport, waitUntil } = requireOptions(options, 'authFetch(source, options)');
  const policy = outboundPolicy(origins);
  const guard = replayGuard(source, policy);
  const send: Fetch = transport ?? ((input, init) => globalThis.fetch(input, init));

  /** Sends with the token; when the caller lets fetch follow redirects, follows them hop by hop here. */
  const exchange = async (
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    url: string,
    headers: HeadersInit | undefined,
    token: AccessToken,
  ): Promise<[Response, string]> => {
    const follows = (init?.redirect ?? (input instanceof Request ? input.redirect : 'follow')) === 'follow';
    const authorized = withToken(headers, token);
    const response = await send(
      input,
      init === undefined
        ? follows
          ? { headers: authorized, redirect: 'manual' }
          : { headers: authorized }
        : { ...init, headers: authorized, ...(follows ? { redirect: 'manual' } : {}) },
    );
    if (!follows || !isRedirect(response)) return [response, url];
    const request = input instanceof Request ? input : undefined;
    const body = init?.body ?? request?.body;
    const first: RedirectHop = {
      url,
      method: init?.method ?? request?.method ?? 'GET',
      body,
      resendable: isReplayableBody(body),
    };
    return followRedirects(response, first, policy, (hop, allowed) =>
      send(hop.url, {
        ...init,
        method: hop.method,
        body: hop.body ?? null,
        headers: allowed ? withToken(headers, token) : withoutAuthorization(headers),
        redirect: 'manual',
      }),
    );
  };

  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : typeof input === 'string' ? input : String(input);
    const headers = init?.headers ?? request?.headers;
    if (!policy.matches(url) || hasAuthorization(headers)) return send(input, init);
    const call: ClientCredentialsGetTokenOptions = { signal: init?.signal ?? request?.signal, waitUntil };
    const token = await source.getToken(call);
    // A Request's body is read by the first send: keep a copy for the replay before it goes.
    const replay = isReplayableBody(init?.body) ? (request?.clone() ?? input) : undefined;
    const [response, answered] = await exchange(input, init, url, headers, token);
    if (!guard.shouldReplay(response, answered, token.accessToken, replay !== undefined)) {
      if (request && replay) void (replay as Request).body?.cancel().catch(() => {});
      return response;
    }
    void response.body?.cancel().catch(() => {});
    const fresh = await source.getToken(call);
    const [second, where] = await exchange(replay as RequestInfo | URL, init, url, headers, fresh);
    guard.replayed(second, where, fresh.accessToken);
    return second;
  };
}

/**
 * The caller's headers plus the token, in the cheapest shape fetch takes: a plain object when the caller
 * gave none or gave one (it holds no `Authorization`: the caller's own is never overwritten), a copy of a
 * `Headers` or list otherwise. `bearer` refuses, without quoting it, a token no header can carry.
 */
function withToken(headers: HeadersInit | undefined, token: AccessToken): HeadersInit {
  const authorization = bearer(token);
  if (headers === undefined) return { authorization };
  if (headers instanceof Headers || Array.isArray(headers)) return withBearer(headers, token);
  return { ...(headers as Record<string, string>), authorization };
}

function withoutAuthorization(headers: HeadersInit | undefined): Headers {
  const copy = new Headers(headers);
  copy.delete('authorization');
  return copy;
}
