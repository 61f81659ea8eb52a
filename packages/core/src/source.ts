import { classify } from './classify.js';
import { type GrantkitError, isGrantkitError } from './errors.js';
import {
  cacheHit,
  type Effect,
  type Event,
  initialState,
  type Policy,
  type State,
  snapshot,
  transition,
} from './machine.js';
import { emit } from './observer.js';
import { type ClientCredentialsOptions, type Settings, settle } from './options.js';
import { ParkedCallers } from './parked-caller.js';
import { redacted } from './redacted-token.js';
import { TokenEndpoint } from './request.js';
import { backoff, hold } from './schedule.js';
import { type Obtained, STORE_TIMEOUT_MS, StoreProtocol } from './store-protocol.js';
import type {
  AccessToken,
  GetTokenOptions,
  StoredToken,
  TokenEvent,
  TokenSource,
  TokenState,
  WaitUntil,
} from './types.js';

/** How long a waiter trusts a token request beyond its own timeout before presuming it lost. */
const STALE_GRACE_MS = 1_000;

const GET: Event = { type: 'get', force: false };
const FORCED_GET: Event = { type: 'get', force: true };

/**
 * Options of one {@link TokenSource.getToken} call on a source built by {@link clientCredentials}.
 *
 * @example
 * ```ts
 * await source.getToken({ waitUntil: (p) => ctx.waitUntil(p) });
 * ```
 */
export interface ClientCredentialsGetTokenOptions extends GetTokenOptions {
  /** Where this call hands background refresh work (Workers: `ctx.waitUntil`). */
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * What {@link clientCredentials} returns: a {@link TokenSource} whose `getToken` also takes a `waitUntil`
 * for background refreshes (Workers).
 *
 * @example
 * ```ts
 * import { type ClientCredentialsSource, clientCredentials } from '@grantkit/core';
 *
 * const source: ClientCredentialsSource = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const token = await source.getToken({ waitUntil: (p) => ctx.waitUntil(p) });
 * ```
 */
export interface ClientCredentialsSource extends TokenSource {
  /** {@link TokenSource.getToken}, also taking a `waitUntil` for background refreshes (Workers). */
  getToken(options?: ClientCredentialsGetTokenOptions): Promise<AccessToken>;
}

/**
 * A {@link TokenSource} for the OAuth 2.0 client credentials grant: one token request for all concurrent
 * callers, refresh ahead of expiry in the background, the valid token served through an endpoint outage,
 * bounded retries with backoff. Sources with identical configurations (secret included) share one token
 * and one request in the process: without a `store` option they share the default memory store of their
 * clock, and the default clock is one per process. Throws `GRANTKIT_CONFIGURATION` at once for unusable
 * options.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 *
 * const source = clientCredentials({
 *   tokenUrl: 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
 *   clientId: 'svc',
 *   clientSecret: process.env.CLIENT_SECRET!,
 * });
 * const { accessToken } = await source.getToken();
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentialsSource {
  return new CredentialsSource(settle(options));
}

/** The machine's retry policy, from a source's settings. */
class RetryPolicy implements Policy {
  readonly attempts: number;
  readonly maxDelayMs: number;
  readonly #settings: Settings;

  constructor(settings: Settings) {
    this.attempts = settings.attempts;
    this.maxDelayMs = settings.timing.maxDelayMs;
    this.#settings = settings;
  }

  delay(failures: number, error: GrantkitError): number {
    return backoff(failures, error, this.#settings.timing, this.#settings.random);
  }
}

/** The driver: runs the machine's effects with timers, promises, the token request and the store. */
class CredentialsSource implements ClientCredentialsSource {
  readonly #settings: Settings;
  /** The token request (it remembers the discovered endpoint and the Basic encoding that works). */
  readonly #endpoint: TokenEndpoint;
  readonly #store: StoreProtocol;
  /** Made when a first caller parks. */
  #parked: ParkedCallers | undefined;
  readonly #staleAfterMs: number;
  #state: State = initialState;
  /** The last token served, and its settled promise: a cache hit costs what awaiting it costs. */
  #served: AccessToken | undefined;
  #servedPromise: Promise<AccessToken> | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    this.#endpoint = new TokenEndpoint(settings);
    // A lost request is presumed after its timeout and a grace; with a user's store, after the peer wait,
    // the request and the bounded store calls before it.
    const { timeoutMs } = settings;
    this.#staleAfterMs = settings.store
      ? 2 * timeoutMs + 3 * STORE_TIMEOUT_MS + STALE_GRACE_MS
      : timeoutMs + STALE_GRACE_MS;
    this.#store = new StoreProtocol(settings, this.#staleAfterMs, this);
  }

  getToken(call?: ClientCredentialsGetTokenOptions): Promise<AccessToken> {
    if (call === undefined || (call.forceRefresh !== true && call.signal?.aborted !== true)) {
      const token = cacheHit(this.#state, this.#settings.clock.now());
      if (token) return this.#serve(token);
    }
    const signal = call?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    for (const effect of this.#dispatch(call?.forceRefresh === true ? FORCED_GET : GET, call?.waitUntil)) {
      if (effect.type === 'serve') return this.#serve(effect.token);
      if (effect.type === 'fail') return Promise.reject(effect.error);
    }
    this.#parked ??= new ParkedCallers(this.#settings.clock, this.#staleAfterMs, () => this.#wake());
    return this.#parked.park(signal);
  }

  invalidate(accessToken?: string): void {
    this.#dispatch({ type: 'invalidate', accessToken });
  }

  get state(): TokenState {
    return snapshot(this.#state);
  }

  #serve(token: AccessToken): Promise<AccessToken> {
    if (this.#served !== token) {
      this.#served = token;
      this.#servedPromise = Promise.resolve(token);
    }
    return this.#servedPromise as Promise<AccessToken>;
  }

  #dispatch(event: Event, waitUntil?: WaitUntil): readonly Effect[] {
    const now = this.#settings.clock.now();
    const from = this.#state.status;
    // The policy is made per dispatch: a cache hit never dispatches, and an idle source holds no policy.
    const next = transition(this.#state, event, now, new RetryPolicy(this.#settings));
    this.#state = next.state;
    if (next.state.status !== from) this.#emit({ type: 'transition', from, to: next.state.status, at: now });
    for (const effect of next.effects) this.#run(effect, waitUntil);
    return next.effects;
  }

  #run(effect: Effect, waitUntil: WaitUntil | undefined): void {
    const { clock } = this.#settings;
    switch (effect.type) {
      case 'fetch': {
        const work = this.#obtain(effect.fetchId, effect.background);
        // The whole protocol — the request, then the store write and the lock release — goes to waitUntil,
        // a foreground fetch's too: callers get the token before the release settles, and on Workers I/O
        // nobody waits for is dropped once the response is sent, which would leave the lock held.
        (waitUntil ?? this.#settings.waitUntil)?.(work);
        return;
      }
      case 'resolve':
        this.#parked?.resolveAll(effect.token);
        this.#parked = undefined; // nobody waits now: an idle source holds no parking
        return;
      case 'reject':
        this.#parked?.rejectAll(effect.error);
        this.#parked = undefined;
        return;
      case 'schedule':
        // The timer fires `retry` for this `retryAt`, which the machine takes as due even if the clock
        // reads a little short of it (timers and clocks round differently).
        clock
          .sleep(Math.max(0, effect.at - clock.now()))
          .then(() => this.#dispatch({ type: 'retry', scheduledFor: effect.at }));
        return;
      case 'drop':
        void this.#store.drop(effect.accessToken);
        this.#emit({ type: 'invalidate', at: clock.now() });
        return;
      default:
        return; // serve / wait / fail belong to the caller
    }
  }

  /** A parked caller's watchdog: the request it waits on may be lost, or a retry may be due. */
  #wake(): void {
    const state = this.#state;
    if (state.status === 'acquiring' && this.#settings.clock.now() - state.startedAt >= this.#staleAfterMs) {
      this.#dispatch({ type: 'stale', fetchId: state.fetchId });
    } else this.#dispatch({ type: 'retry' });
  }

  /** Token request `fetchId`, through the store; settles once the store work is done too. */
  #obtain(fetchId: number, background: boolean): Promise<void> {
    const { clock, timing, random } = this.#settings;
    const deliver = ({ token, requested }: Obtained): boolean => {
      const now = clock.now();
      this.#emit({
        type: 'token-response',
        fetchId,
        expiresAt: token.expiresAt,
        at: now,
        fromStore: !requested,
      });
      const held = hold(redacted(token), token.receivedAt ?? now, timing, random);
      this.#dispatch({ type: 'fetched', fetchId, held });
      // The machine drops the answer to a superseded fetch (a stale one): then the token is not ours yet,
      // and the newer fetch must still be able to take it from the store.
      return this.#state.status === 'valid' && this.#state.held === held;
    };
    return this.#store
      .obtain(() => this.#requestToken(fetchId, background), deliver)
      .catch((thrown: unknown) => {
        const now = clock.now();
        const error = isGrantkitError(thrown) ? thrown : classify(thrown, now);
        this.#dispatch({ type: 'failed', fetchId, error });
        const state = this.#state;
        this.#emit({
          type: 'token-error',
          fetchId,
          error,
          retryAt: state.status === 'backoff' ? state.retryAt : now,
          at: now,
        });
      });
  }

  async #requestToken(fetchId: number, background: boolean): Promise<StoredToken> {
    const { clock, tokenUrl, issuer, clientAuth } = this.#settings;
    this.#emit({
      type: 'token-request',
      fetchId,
      attempt: this.#state.failures + 1,
      background,
      endpoint: tokenUrl ?? issuer?.href ?? '',
      clientAuth,
      at: clock.now(),
    });
    const { accessToken, tokenType, expiresAt, scope } = await this.#endpoint.request(() => clock.now());
    const receivedAt = clock.now();
    // Literals, not a spread: a spread copy gets a hidden class of its own, ~200 B per source.
    return scope === undefined
      ? { accessToken, tokenType, expiresAt, receivedAt }
      : { accessToken, tokenType, expiresAt, scope, receivedAt };
  }

  #emit(event: TokenEvent): void {
    emit(this.#settings, event, this);
  }
}
