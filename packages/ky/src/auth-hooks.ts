import {
  bearer,
  type ClientCredentialsGetTokenOptions,
  followRequest,
  GrantkitError,
  isRedirect,
  isReplayableBody,
  type Origins,
  outboundPolicy,
  replayGuard,
  type TokenSource,
  type WaitUntil,
} from '@grantkit/core';
import ky from 'ky';

/**
 * Options of {@link authHooks}.
 *
 * @example
 * ```ts
 * const options: AuthHooksOptions = { origins: ['https://api.acme.com'] };
 * ```
 */
export interface AuthHooksOptions {
  /**
   * Where the token goes: origins (`https://api.acme.com`, exact scheme, host and port), URL prefixes
   * (`https://api.acme.com/coaching/`), or `'*'` to send it to any origin. Other requests are left alone.
   */
  readonly origins: Origins;
  /** Handed to `getToken` so that background refresh outlives the request (Workers: `ctx.waitUntil`). */
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * What a hook of {@link AuthHooks} receives: ky 1 passes `(request, options, …)`, ky 2 one
 * `{ request, options, … }` object; the hooks accept both.
 *
 * @example
 * ```ts
 * const [beforeRequest] = authHooks(source, { origins: ['https://api.example.com'] }).beforeRequest;
 * const args: HookArguments = [new Request('https://api.example.com/x'), {}];
 * await beforeRequest?.(...args);
 * ```
 */
export type HookArguments = [first: unknown, ...rest: unknown[]];

/** The marker ky's `afterResponse` hooks return to force a retry. */
type RetryMarker = ReturnType<typeof ky.retry>;

/**
 * ky hooks from {@link authHooks}: assignable to ky's `Hooks` in ky 1.14+ and ky 2.
 *
 * @example
 * ```ts
 * const hooks: AuthHooks = authHooks(source, { origins: ['https://api.acme.com'] });
 * ```
 */
export interface AuthHooks {
  /**
   * Sets `Authorization: Bearer <token>` on requests to the configured origins (never over the caller's);
   * such a request that follows redirects is replaced by one with `redirect: 'manual'`, whose redirects
   * `afterResponse` follows.
   */
  beforeRequest: ((...args: HookArguments) => Promise<Request | undefined>)[];
  /** Sets the header again on a retry: after a 401 replay it carries the new token. */
  beforeRetry: ((...args: HookArguments) => Promise<Request | undefined>)[];
  /**
   * Follows the redirects of a request that carries the token, hop by hop, the token going only where
   * the origins allow; on a rejected token: invalidates it and asks ky to retry once.
   */
  afterResponse: ((...args: HookArguments) => Promise<Response | RetryMarker | undefined>)[];
}

/** The parts of ky's normalised options the hooks read. */
interface KyOptions {
  readonly context?: object;
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly signal?: AbortSignal | null;
  readonly body?: unknown;
  readonly retry?: number | { readonly limit?: number };
}

interface HookState {
  readonly request: Request;
  readonly options: KyOptions;
  readonly response?: Response;
  readonly retryCount?: number;
}

/** One ky call, across its retries: the header we set (to tell it from the caller's) and whether we replayed. */
interface Call {
  token?: string;
  header?: string;
  replayed?: boolean;
  /** The caller let fetch follow redirects and we sent `redirect: 'manual'`: the hooks follow them. */
  follows?: boolean;
}

/**
 * Duck-typed, not `instanceof`: on edge-runtime (Vercel Edge) a cloned Request or a fetched Response comes
 * from another realm than the global class, so `instanceof Request` is false for what ky hands its hooks.
 */
const isFetchObject = (value: unknown, property: 'url' | 'status'): boolean =>
  typeof value === 'object' &&
  value !== null &&
  property in value &&
  typeof (value as { headers?: { get?: unknown } }).headers?.get === 'function';

const state = ([first, ...rest]: HookArguments): HookState =>
  isFetchObject(first, 'url')
    ? {
        request: first as Request,
        options: rest[0] as KyOptions,
        ...(isFetchObject(rest[1], 'status') ? { response: rest[1] as Response } : {}),
        ...(rest[2] as { retryCount?: number } | undefined),
      }
    : (first as HookState);

/**
 * ky hooks that add `Authorization: Bearer <token>` from `source` to requests for the configured origins,
 * leave a caller's own `Authorization` header alone, and on a 401 invalidate the token and retry once with a
 * fresh one through ky's own retry (`ky.retry()`), under core's 401 rule (`replayGuard`: a URL that refused a
 * fresh token before costs no new token; the replay's token is never invalidated). That retry is one of
 * ky's: it counts against `retry.limit`, so with `retry: 0` the 401 is returned as is, and the token kept.
 * A `ReadableStream` body is not replayed (nor its token invalidated). Redirects of a request carrying the
 * token are followed by the hooks, one hop at a time, as `authFetch` follows them: the token goes only to
 * hops the origins allow. For that `beforeRequest` returns a new `Request` (with `redirect: 'manual'`), and
 * ky 1 skips the `beforeRequest` hooks after one that does: list these hooks last (ky 2 runs them all).
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { authHooks } from '@grantkit/ky';
 * import ky from 'ky';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret: process.env.CLIENT_SECRET! });
 * const api = ky.create({ prefixUrl: 'https://api.acme.com', hooks: authHooks(source, { origins: ['https://api.acme.com'] }) });
 * const users = await api.get('v1/users').json();
 * ```
 */
export function authHooks(source: TokenSource, options: AuthHooksOptions): AuthHooks {
  if (options === null || typeof options !== 'object')
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      "authHooks(source, options): options are required, with at least `origins` (e.g. { origins: ['https://api.acme.com'] })",
    );
  const policy = outboundPolicy(options.origins);
  const guard = replayGuard(source, policy);
  // ky makes a fresh `context` object for every call and keeps it across that call's retries.
  const calls = new WeakMap<object, Call>();
  const callOf = (kyOptions: KyOptions): Call => {
    const key = kyOptions.context ?? kyOptions;
    const call = calls.get(key) ?? {};
    calls.set(key, call);
    return call;
  };

  /**
   * Sets our header, again on every retry (ky 1 reruns `beforeRequest`, ky 2 only `beforeRetry`); a request
   * that lets fetch follow redirects goes out with `redirect: 'manual'`, so that the token never rides one.
   */
  const attach = async (...args: HookArguments): Promise<Request | undefined> => {
    const { request, options: kyOptions } = state(args);
    if (!policy.matches(request.url)) return undefined;
    const call = callOf(kyOptions);
    const current = request.headers.get('authorization');
    if (current !== null && current !== call.header) return undefined; // the caller's own
    const get: ClientCredentialsGetTokenOptions = {
      signal: kyOptions.signal ?? undefined,
      waitUntil: options.waitUntil,
    };
    const token = await source.getToken(get);
    call.token = token.accessToken;
    call.header = bearer(token); // a token no header can carry fails here, without being quoted
    request.headers.set('authorization', call.header);
    if (request.redirect !== 'follow') return undefined;
    call.follows = true;
    // A stream body moves to the new request, which fetch (Node) sends only with `duplex: 'half'`.
    const manual: RequestInit & { duplex?: 'half' } = { redirect: 'manual' };
    if (request.body) manual.duplex = 'half';
    return new Request(request, manual);
  };

  /** Follows the redirects of the manual request `request` got; `undefined` when `response` is not one. */
  const follow = async (
    request: Request,
    kyOptions: KyOptions,
    response: Response,
  ): Promise<[Response, string] | undefined> => {
    if (!isRedirect(response)) return undefined;
    const send = kyOptions.fetch ?? ((next: Request) => globalThis.fetch(next));
    const sent = { request, body: kyOptions.body as BodyInit | null | undefined, signal: kyOptions.signal };
    const followed = await followRequest(response, sent, policy, send);
    return followed[0] === response ? undefined : followed;
  };

  const afterResponse = async (...args: HookArguments): Promise<Response | RetryMarker | undefined> => {
    const { request, options: kyOptions, response, retryCount = 0 } = state(args);
    const call = callOf(kyOptions);
    if (!response || !call.token || request.headers.get('authorization') !== call.header) return undefined;
    const followed = call.follows ? await follow(request, kyOptions, response) : undefined;
    const [answer, url] = followed ?? [response, request.url];
    const kept = followed ? answer : undefined;
    if (call.replayed) {
      guard.replayed(answer, url, call.token);
      return kept;
    }
    const { retry } = kyOptions;
    const limit = typeof retry === 'number' ? retry : (retry?.limit ?? 2);
    const replayable = retryCount < limit && isReplayableBody(kyOptions.body);
    if (!guard.shouldReplay(answer, url, call.token, replayable)) return kept;
    call.replayed = true;
    if (followed) void answer.body?.cancel().catch(() => {});
    return ky.retry({ delay: 0, code: 'TOKEN_REJECTED' });
  };

  return { beforeRequest: [attach], beforeRetry: [attach], afterResponse: [afterResponse] };
}
