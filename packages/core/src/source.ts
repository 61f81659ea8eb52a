import { cacheKey } from './cache-key.js';
import { classify } from './classify.js';
import { isGrantkitError } from './errors.js';
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
import { processMemoryStore } from './memory-store.js';
import { type ClientCredentialsOptions, type Settings, settle } from './options.js';
import { ParkedCallers } from './parked-caller.js';
import { redacted } from './redacted-token.js';
import { tokenRequest } from './request.js';
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
 * bounded retries with backoff. Sources with identical configurations in one process share their token.
 * Throws `GRANTKIT_CONFIGURATION` at once for unusable options.
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

/** The driver: runs the machine's effects with timers, promises, the token request and the store. */
class CredentialsSource implements ClientCredentialsSource {
  readonly #settings: Settings;
  readonly #request: (now: () => number) => Promise<AccessToken>;
  readonly #policy: Policy;
  readonly #store: StoreProtocol;
  readonly #parked: ParkedCallers;
  #state: State = initialState;
  #key: Promise<string> | undefined;
  /** The last token served, and its settled promise: a cache hit costs what awaiting it costs. */
  #served: AccessToken | undefined;
  #servedPromise: Promise<AccessToken> | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    const { clock, timing, timeoutMs, random } = settings;
    this.#request = tokenRequest(settings, timing);
    this.#policy = {
      attempts: settings.attempts,
      delay: (failures, error) => backoff(failures, error, timing, random),
      maxDelayMs: timing.maxDelayMs,
    };
    // A lost request is presumed after its timeout and a grace; with a user's store, after the peer wait,
    // the request and the bounded store calls before it.
    const staleAfterMs = settings.store
      ? 2 * timeoutMs + 3 * STORE_TIMEOUT_MS + STALE_GRACE_MS
      : timeoutMs + STALE_GRACE_MS;
    this.#store = new StoreProtocol(settings.store ?? processMemoryStore(clock), () => this.#storeKey(), {
      clock,
      timing,
      random,
      timeoutMs,
      lockTtlMs: staleAfterMs,
      emit: (event) => this.#emit(event),
    });
    this.#parked = new ParkedCallers(clock, staleAfterMs, () => this.#wake(staleAfterMs));
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
    const next = transition(this.#state, event, now, this.#policy);
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
        if (effect.background) (waitUntil ?? this.#settings.waitUntil)?.(work);
        return;
      }
      case 'resolve':
        this.#parked.resolveAll(effect.token);
        return;
      case 'reject':
        this.#parked.rejectAll(effect.error);
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
  #wake(staleAfterMs: number): void {
    const state = this.#state;
    if (state.status === 'acquiring' && this.#settings.clock.now() - state.startedAt >= staleAfterMs) {
      this.#dispatch({ type: 'stale', fetchId: state.fetchId });
    } else this.#dispatch({ type: 'retry' });
  }

  /** Token request `fetchId`, through the store; settles once the store work is done too. */
  #obtain(fetchId: number, background: boolean): Promise<void> {
    const { clock, timing, random } = this.#settings;
    const deliver = ({ token, requested }: Obtained): void => {
      const now = clock.now();
      this.#emit({ type: 'token-response', expiresAt: token.expiresAt, at: now, fromStore: !requested });
      const held = hold(redacted(token), token.receivedAt ?? now, timing, random);
      this.#dispatch({ type: 'fetched', fetchId, held });
    };
    return this.#store
      .obtain(() => this.#requestToken(background), deliver)
      .catch((thrown: unknown) => {
        const now = clock.now();
        const error = isGrantkitError(thrown) ? thrown : classify(thrown, now);
        this.#dispatch({ type: 'failed', fetchId, error });
        const state = this.#state;
        this.#emit({
          type: 'token-error',
          error,
          retryAt: state.status === 'backoff' ? state.retryAt : now,
          at: now,
        });
      });
  }

  async #requestToken(background: boolean): Promise<StoredToken> {
    const { clock } = this.#settings;
    this.#emit({ type: 'token-request', attempt: this.#state.failures + 1, background, at: clock.now() });
    const answer = await this.#request(() => clock.now());
    return { ...answer, receivedAt: clock.now() };
  }

  #storeKey(): Promise<string> {
    const { tokenUrl, issuer, clientId, clientSecret, parameters, store } = this.#settings;
    // The process-wide default store is shared by every source in the process: its key also covers the
    // secret (hashed, never stored), so that only identical configurations share a token there.
    this.#key ??= cacheKey(
      (tokenUrl ?? issuer)?.href ?? '',
      clientId,
      store ? parameters : { ...parameters, '\u0000secret': clientSecret },
    );
    return this.#key;
  }

  #emit(event: TokenEvent): void {
    try {
      this.#settings.onEvent?.(event);
    } catch {
      // An observer's failure is not the caller's.
    }
  }
}
