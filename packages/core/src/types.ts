import type { GrantkitError } from './errors.js';

/**
 * An OAuth 2.0 access token as a {@link TokenSource} hands it out.
 *
 * `expiresAt` is the local receive time plus `expires_in`, in epoch milliseconds — never the JWT `exp`
 * read against the local clock.
 *
 * @example
 * ```ts
 * const token = await source.getToken();
 * await fetch(url, { headers: { authorization: `${token.tokenType} ${token.accessToken}` } });
 * ```
 */
export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Epoch milliseconds after which the authorization server no longer accepts the token. */
  readonly expiresAt: number;
  /** The scope the server granted, when it said. */
  readonly scope?: string;
}

/**
 * Options for one {@link TokenSource.getToken} call.
 *
 * @example
 * ```ts
 * await source.getToken({ signal: AbortSignal.timeout(2_000) });
 * await source.getToken({ forceRefresh: true });
 * ```
 */
export interface GetTokenOptions {
  /** Abandons this caller's wait only; the shared token request goes on for the others. */
  readonly signal?: AbortSignal | undefined;
  /** Skip the cached token and wait for a newly requested one (joins a request already in flight). */
  readonly forceRefresh?: boolean | undefined;
}

/** The states of the token cache. See the diagram in the core README. */
export type TokenStatus = 'empty' | 'acquiring' | 'valid' | 'refreshing' | 'backoff';

/**
 * A snapshot of the token cache for observability. It never contains the token itself.
 *
 * @example
 * ```ts
 * if (source.state.status === 'backoff') console.warn('token endpoint failing, retry at', source.state.retryAt);
 * ```
 */
export interface TokenState {
  readonly status: TokenStatus;
  /** When the cached token expires, if there is one. */
  readonly expiresAt?: number;
  /** When the next background refresh is due, if there is a cached token. */
  readonly refreshAt?: number;
  /** In `backoff`: when the next token request may be made. */
  readonly retryAt?: number;
  /** Consecutive failed token requests. */
  readonly failures: number;
  /** In `backoff`: the `code` of the last failure. */
  readonly lastError?: string;
}

/**
 * The one interface every Grantkit adapter takes. {@link clientCredentials} and {@link verintCoaching}
 * return one; you can hand in your own.
 *
 * @example
 * ```ts
 * const source: TokenSource = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const { accessToken } = await source.getToken();
 * source.invalidate(accessToken); // the API said 401: drop it if it is still the current one
 * ```
 */
export interface TokenSource {
  /** A valid token: cached, or requested once for all concurrent callers. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Compare-and-invalidate: drops the cached token only if it is still `accessToken` (or always, when
   * omitted), so many callers reporting the same rejected token cause one new request.
   */
  invalidate(accessToken?: string): void;
  /** The cache's current state, for observability. */
  readonly state: TokenState;
}

/**
 * Time, injected. The default uses `Date.now()` and `setTimeout`; tests pass a manual clock.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
 * ```
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * What a {@link TokenStore} keeps for a cache key.
 *
 * @example
 * ```ts
 * const stored: StoredToken = { accessToken: 'eyJ…', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 };
 * ```
 */
export interface StoredToken extends AccessToken {
  /** When the token response arrived (epoch ms), so every instance derives the same refresh schedule. */
  readonly receivedAt?: number;
}

/**
 * A held cross-instance lock; see {@link TokenStore.lock}.
 *
 * @example
 * ```ts
 * const lock = await store.lock?.(key, 10_000);
 * try { … } finally { await lock?.release(); }
 * ```
 */
export interface TokenLock {
  /** Gives the lock up, so that another caller may request a token. */
  release(): Promise<void>;
}

/**
 * Where tokens are kept between calls. The default is an in-memory store per source; `@grantkit/redis`
 * shares one token across a fleet. Keys carry no secret. A store that fails never fails a caller: the
 * source reports it through `onEvent` and goes on with its own token requests.
 *
 * @example
 * ```ts
 * const source = clientCredentials({ tokenUrl, clientId, clientSecret, store: new MemoryTokenStore() });
 * ```
 */
export interface TokenStore {
  /** The token kept for `key`, or `undefined` when there is none or it has outlived its `ttlMs`. */
  get(key: string): Promise<StoredToken | undefined>;
  /** Keeps `token` for `ttlMs` milliseconds. */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void>;
  /** Deletes the entry; when `accessToken` is given, only if the stored token is that one. */
  delete(key: string, accessToken?: string): Promise<void>;
  /**
   * Optional cross-instance single flight: resolves a lock when this caller may request a token, or
   * `undefined` when another holder is already requesting one (the source then polls `get` for a bounded
   * time before requesting a token itself).
   */
  lock?(key: string, ttlMs: number): Promise<TokenLock | undefined>;
}

/**
 * What a source reports through `onEvent`. Events never carry a token or a secret.
 *
 * @example
 * ```ts
 * clientCredentials({ …, onEvent: (e) => e.type === 'token-error' && log.warn(e.error.code) });
 * ```
 */
export type TokenEvent =
  | { readonly type: 'transition'; readonly from: TokenStatus; readonly to: TokenStatus; readonly at: number }
  | {
      readonly type: 'token-request';
      /** Identifies this acquisition: its `token-response` or `token-error` carries the same id. */
      readonly fetchId: number;
      readonly attempt: number;
      /** Refresh-ahead (no caller waits on it), or a request callers wait for. */
      readonly background: boolean;
      /** The configured `tokenUrl`, or the `issuer` when the token endpoint is discovered. */
      readonly endpoint: string;
      readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
      readonly at: number;
    }
  | {
      readonly type: 'token-response';
      readonly fetchId: number;
      readonly expiresAt: number;
      readonly at: number;
      readonly fromStore: boolean;
    }
  | {
      readonly type: 'token-error';
      readonly fetchId: number;
      readonly error: GrantkitError;
      readonly retryAt: number;
      readonly at: number;
    }
  | { readonly type: 'invalidate'; readonly at: number }
  | {
      readonly type: 'store-error';
      readonly operation: 'get' | 'set' | 'delete' | 'lock';
      readonly error: unknown;
      readonly at: number;
    };

/**
 * The `onEvent` of a source: each event, with the source that reports it (so that one listener can serve
 * many sources, and read their `state`). Called synchronously; a listener that throws is ignored.
 *
 * @example
 * ```ts
 * const onEvent: TokenEventListener = (event, source) => {
 *   if (event.type === 'invalidate') console.info('token dropped, cache now', source.state.status);
 * };
 * ```
 */
export type TokenEventListener = (event: TokenEvent, source: TokenSource) => void;

/**
 * Hands background work (a refresh-ahead request) to the runtime so it outlives the current request —
 * `ctx.waitUntil` on Cloudflare Workers.
 *
 * @example
 * ```ts
 * clientCredentials({ …, waitUntil: (p) => ctx.waitUntil(p) });
 * ```
 */
export type WaitUntil = (promise: Promise<unknown>) => void;
