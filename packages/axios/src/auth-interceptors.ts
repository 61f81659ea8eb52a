import {
  type AccessToken,
  bearer,
  type ClientCredentialsGetTokenOptions,
  isReplayableBody,
  type Origins,
  type OutboundPolicy,
  outboundPolicy,
  replayGuard,
  type TokenSource,
  type WaitUntil,
} from '@grantkit/core';
import {
  Axios,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';

/**
 * Options of {@link authInterceptors}.
 *
 * @example
 * ```ts
 * const options: AuthInterceptorsOptions = { origins: ['https://api.acme.com'] };
 * ```
 */
export interface AuthInterceptorsOptions {
  /**
   * Where the token goes: origins (`https://api.acme.com`, exact scheme, host and port), URL prefixes
   * (`https://api.acme.com/coaching/`), or `'*'` to send it to any origin. Matched against the URL axios
   * sends to (`baseURL` + `url` + `params`). Other requests are left alone.
   */
  readonly origins: Origins;
  /** Handed to `getToken` so that background refresh outlives the request (Workers: `ctx.waitUntil`). */
  readonly waitUntil?: WaitUntil | undefined;
}

/** The config key that marks the one replay after a 401, so that it is never replayed again. */
const REPLAY = 'grantkitReplay';

/** What the request interceptor did to one config: the token and the header it set. */
interface Sent {
  readonly token: AccessToken;
  readonly header: string;
  /** Where the request went: the URL axios resolved, then each redirect's. */
  url: string;
}

/**
 * Resolves the URL a config goes to, as axios does (`baseURL` + `url` + `params`). The interceptors get a
 * config already merged with the instance's defaults, so an `Axios` without defaults resolves it without
 * merging them in again: `instance.getUri(config)` would, at several times the cost, on every request.
 */
const resolver = new Axios({});
const urlOf = ({ baseURL, url, params, paramsSerializer, allowAbsoluteUrls }: InternalAxiosRequestConfig) =>
  resolver.getUri({ baseURL, url, params, paramsSerializer, allowAbsoluteUrls } as never);

/** What axios hands a config's `beforeRedirect` (Node's http adapter, through follow-redirects). */
interface RedirectOptions {
  readonly href: string;
  readonly headers: Record<string, unknown>;
}

type BeforeRedirect = (options: RedirectOptions, ...details: unknown[]) => void;

/** Each `beforeRedirect` the interceptor set, to the caller's own it wraps (a replay's config has ours). */
const wrapped = new WeakMap<BeforeRedirect, BeforeRedirect | undefined>();

/**
 * The config's `beforeRedirect`, then core's origin rule on the hop: the token goes with it only where
 * the policy allows (within a URL prefix too), as on the first request; it is stripped everywhere else.
 */
function hopByHop(policy: OutboundPolicy, sent: Sent, configured: unknown): BeforeRedirect {
  const hook = configured as BeforeRedirect | undefined;
  const own = hook && wrapped.has(hook) ? wrapped.get(hook) : hook;
  const beforeRedirect: BeforeRedirect = (options, ...details) => {
    own?.(options, ...details);
    const { headers } = options;
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    if (policy.matches(options.href)) headers['authorization'] = sent.header;
    sent.url = options.href;
  };
  wrapped.set(beforeRedirect, own);
  return beforeRedirect;
}

/**
 * Installs axios interceptors on `instance` (an `axios.create()` instance or the default `axios`) that add
 * `Authorization: Bearer <token>` from `source` to requests whose final URL — as axios resolves `baseURL`,
 * `url` and `params` — matches `origins`, and never overwrite a caller's own `Authorization`. When the API
 * rejects the token (`401`, whether axios throws for it or `validateStatus` lets it through), the token is
 * invalidated and the request is sent once more through the same instance with a fresh token and the same
 * body (JSON, string, `URLSearchParams`, `FormData`, bytes; a stream body is not replayed). A second 401 goes
 * to the caller as axios would hand it. Token errors reject with core's `GrantkitError`; the caller's
 * `signal` bounds the wait for a token. Returns a function that ejects both interceptors.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { authInterceptors } from '@grantkit/axios';
 * import axios from 'axios';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret: process.env.CLIENT_SECRET! });
 * const api = axios.create({ baseURL: 'https://api.acme.com' });
 * const eject = authInterceptors(api, source, { origins: ['https://api.acme.com'] });
 * const { data } = await api.get('/v1/users');
 * eject();
 * ```
 */
export function authInterceptors(
  instance: AxiosInstance,
  source: TokenSource,
  options: AuthInterceptorsOptions,
): () => void {
  const policy = outboundPolicy(options.origins);
  const guard = replayGuard(source, policy);
  const sent = new WeakMap<InternalAxiosRequestConfig, Sent>();

  const attach = async (config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> => {
    if (config.headers.has('authorization')) return config;
    const url = urlOf(config);
    if (!policy.matches(url)) return config;
    const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
    const call: ClientCredentialsGetTokenOptions = { signal, waitUntil: options.waitUntil };
    const token = await source.getToken(call);
    const header = bearer(token);
    config.headers.set('authorization', header);
    const used: Sent = { token, header, url };
    sent.set(config, used);
    // Node's http adapter follows redirects itself: each hop asks the origins again.
    (config as { beforeRedirect?: BeforeRedirect }).beforeRedirect = hopByHop(
      policy,
      used,
      config.beforeRedirect,
    );
    return config;
  };

  /** The answer as core's 401 rule reads it: status and challenge, from the URL axios sent to. */
  const answer = (response: AxiosResponse): Response =>
    new Response(null, {
      status: response.status,
      headers: {
        'www-authenticate': String(
          AxiosHeaders.from(response.headers as never).get('www-authenticate') ?? '',
        ),
      },
    });

  /** The replay of a rejected request, or `undefined` when core's 401 rule says not to replay. */
  const replay = (response: AxiosResponse): Promise<AxiosResponse> | undefined => {
    const { config } = response;
    const used = response.status === 401 ? sent.get(config) : undefined;
    if (!used || config.headers.get('authorization') !== used.header) return undefined;
    const { url } = used;
    if ((config as { [REPLAY]?: boolean })[REPLAY]) {
      guard.replayed(answer(response), url, used.token.accessToken);
      return undefined;
    }
    if (!guard.shouldReplay(answer(response), url, used.token.accessToken, isReplayableBody(config.data)))
      return undefined;
    const again = new AxiosHeaders(config.headers);
    again.delete('authorization');
    // `config.data` is already in wire form: the replay skips `transformRequest`.
    return instance.request({ ...config, headers: again, transformRequest: [], [REPLAY]: true } as never);
  };

  const request = instance.interceptors.request.use(attach);
  const response = instance.interceptors.response.use(
    (ok) => replay(ok) ?? ok,
    (error: unknown) => {
      const rejected = isAxiosError(error) && error.response ? replay(error.response) : undefined;
      return rejected ?? Promise.reject(error);
    },
  );
  return () => {
    instance.interceptors.request.eject(request);
    instance.interceptors.response.eject(response);
  };
}
