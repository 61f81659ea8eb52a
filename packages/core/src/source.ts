import { storeKeyOf } from './cache-key.js';
import { classify } from './classify.js';
import { isGrantkitError } from './errors.js';
import {
  type Effect,
  type Event,
  initialState,
  type Policy,
  type State,
  snapshot,
  transition,
} from './machine.js';
import { MemoryTokenStore } from './memory-store.js';
import { type ClientCredentialsOptions, type Settings, settle } from './options.js';
import { tokenRequest } from './request.js';
import { backoff, hold } from './schedule.js';
import type {
  AccessToken,
  GetTokenOptions,
  StoredToken,
  TokenEvent,
  TokenLock,
  TokenSource,
  TokenState,
  WaitUntil,
} from './types.js';

/** How long a waiter trusts a token request beyond its own timeout before presuming it lost. */
const STALE_GRACE_MS = 1_000;
/** How often a source polls the store while another instance holds the lock. */
const LOCK_POLL_MS = 50;
/** What a store's `lock` resolving `undefined` becomes, told apart from a failed store call. */
const PEER_HOLDS_LOCK = Symbol('peer holds the lock');

const GET: Event = { type: 'get', force: false };
const FORCED_GET: Event = { type: 'get', force: true };

const inspect = Symbol.for('nodejs.util.inspect.custom');
const denoInspect = Symbol.for('Deno.customInspect');

/** The token as handed out: its JSON and inspection show everything but the token itself. */
function redacted({ accessToken, tokenType, expiresAt, scope }: StoredToken): AccessToken {
  const visible = { tokenType, expiresAt, ...(scope !== undefined && { scope }) };
  const shown = (): object => ({ ...visible, accessToken: '[redacted]' });
  const hidden = { value: shown };
  return Object.defineProperties(
    { accessToken, ...visible },
    { toJSON: hidden, [inspect]: hidden, [denoInspect]: hidden },
  );
}

interface Waiter {
  resolve(token: AccessToken): void;
  reject(reason: unknown): void;
}

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
 * A {@link TokenSource} for the OAuth 2.0 client credentials grant: one token request for all concurrent
 * callers, refresh ahead of expiry in the background, the valid token served through an endpoint outage,
 * bounded retries with backoff. Throws `GRANTKIT_CONFIGURATION` at once for unusable options.
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
export function clientCredentials(options: ClientCredentialsOptions): TokenSource & {
  /** {@link TokenSource.getToken}, also taking a `waitUntil` for background refreshes (Workers). */
  getToken(options?: ClientCredentialsGetTokenOptions): Promise<AccessToken>;
} {
  const settings: Settings = settle(options);
  const { clock, timing, onEvent } = settings;
  const request = tokenRequest(settings, timing);
  const store = settings.store ?? new MemoryTokenStore(() => clock.now());
  const policy: Policy = {
    attempts: settings.attempts,
    delay: (failures, error) => backoff(failures, error, timing, settings.random),
  };
  const waiters = new Set<Waiter>();
  const staleAfterMs = settings.timeoutMs + STALE_GRACE_MS;
  let state: State = initialState;
  /** The last token invalidated: never taken back from the store. */
  let dropped: string | undefined;
  /** The newest token this source has had: the store must offer a newer one to be taken. */
  let latest: StoredToken | undefined;
  /** The last token served, as a settled promise. */
  let served: { readonly token: AccessToken; readonly promise: Promise<AccessToken> } | undefined;

  /** The token endpoint as events name it (the issuer until discovery names the endpoint). */
  const endpoint = (settings.tokenUrl ?? settings.issuer)?.href ?? '';

  const emit = (event: TokenEvent): void => {
    try {
      onEvent?.(event, self);
    } catch {
      // An observer's failure is not the caller's.
    }
  };

  const storeCall = async <T>(
    operation: 'get' | 'set' | 'delete' | 'lock',
    call: () => Promise<T> | undefined,
  ): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      emit({ type: 'store-error', operation, error, at: clock.now() });
      return undefined;
    }
  };

  const storeKey = storeKeyOf(endpoint, settings.clientId, settings.parameters, settings.clientSecret);

  /** A token from the store that is usable and newer than any this source has had, or undefined. */
  const fromStore = async (k: string): Promise<StoredToken | undefined> => {
    const stored = await storeCall('get', () => store.get(k));
    if (!stored || typeof stored.accessToken !== 'string' || stored.accessToken === dropped) return undefined;
    if (latest && stored.expiresAt <= latest.expiresAt) return undefined;
    const now = clock.now();
    return hold(stored, stored.receivedAt ?? now, timing, settings.random).usableUntil > now
      ? stored
      : undefined;
  };

  /** The store's lock for `k`: held by us, held by a peer, or `undefined` when the store failed. */
  const takeLock = (k: string) =>
    storeCall('lock', async () => (await store.lock?.(k, staleAfterMs)) ?? PEER_HOLDS_LOCK);

  /**
   * Another instance holds the lock: poll the store for its token, and retry the lock, for a bounded time:
   * twice the lock's ttl, so that a lock whose holder died surely lapses first and one survivor takes it
   * over, while the others go on waiting for that survivor's token.
   */
  const awaitPeer = async (k: string): Promise<{ token?: StoredToken; lock?: TokenLock }> => {
    const deadline = clock.now() + 2 * staleAfterMs;
    while (clock.now() < deadline) {
      await clock.sleep(LOCK_POLL_MS);
      const token = await fromStore(k);
      if (token) return { token };
      const lock = await takeLock(k);
      if (lock !== PEER_HOLDS_LOCK) return lock ? { lock } : {};
    }
    return {};
  };

  const obtain = async (fetchId: number, background: boolean): Promise<void> => {
    try {
      const k = await storeKey();
      let requested = false;
      const requestIt = (): Promise<StoredToken> => {
        requested = true;
        return requestAndStore(k, fetchId, background);
      };
      let token = await fromStore(k);
      if (!token && store.lock) {
        let lock = await takeLock(k);
        if (lock === PEER_HOLDS_LOCK) ({ token, lock } = await awaitPeer(k));
        // `undefined`: the store failed, so go on alone rather than wait for a peer that may not exist.
        try {
          // A peer may have stored its token between our last read and our lock: read again.
          if (lock) token ??= await fromStore(k);
          token ??= await requestIt();
        } finally {
          lock?.release().catch(() => {});
        }
      } else if (!token) {
        token = await requestIt();
      }
      const now = clock.now();
      emit({ type: 'token-response', fetchId, expiresAt: token.expiresAt, at: now, fromStore: !requested });
      const held = hold(redacted(token), token.receivedAt ?? now, timing, settings.random);
      dispatch({ type: 'fetched', fetchId, held });
      // The machine drops the answer to a superseded fetch (a stale one): then the token is not ours yet,
      // and the newer fetch must still be able to take it from the store.
      if (state.status === 'valid' && state.held.token === held.token) latest = token;
    } catch (thrown) {
      const now = clock.now();
      const error = isGrantkitError(thrown) ? thrown : classify(thrown, now);
      dispatch({ type: 'failed', fetchId, error });
      emit({
        type: 'token-error',
        fetchId,
        error,
        retryAt: state.status === 'backoff' ? state.retryAt : now,
        at: now,
      });
    }
  };

  const requestAndStore = async (k: string, fetchId: number, background: boolean): Promise<StoredToken> => {
    emit({
      type: 'token-request',
      fetchId,
      attempt: state.failures + 1,
      background,
      endpoint,
      clientAuth: settings.clientAuth,
      at: clock.now(),
    });
    const answer = await request(() => clock.now());
    const receivedAt = clock.now();
    const token: StoredToken = { ...answer, receivedAt };
    // The store forgets the token when it stops being usable, so no instance reads a dying token.
    const usableFor = hold(token, receivedAt, timing, settings.random).usableUntil - receivedAt;
    await storeCall('set', () => store.set(k, token, Math.max(1, usableFor)));
    return token;
  };

  const run = (effect: Effect, waitUntil: WaitUntil | undefined): void => {
    switch (effect.type) {
      case 'fetch': {
        const work = obtain(effect.fetchId, effect.background);
        if (effect.background) (waitUntil ?? settings.waitUntil)?.(work);
        return;
      }
      case 'resolve':
      case 'reject': {
        const settled = [...waiters];
        waiters.clear();
        for (const waiter of settled) {
          if (effect.type === 'resolve') waiter.resolve(effect.token);
          else waiter.reject(effect.error);
        }
        return;
      }
      case 'schedule':
        clock.sleep(Math.max(0, effect.at - clock.now())).then(() => dispatch({ type: 'retry' }));
        return;
      case 'drop':
        dropped = effect.accessToken;
        void storeCall('delete', async () => store.delete(await storeKey(), effect.accessToken));
        emit({ type: 'invalidate', at: clock.now() });
        return;
      default:
        return; // serve / wait / fail belong to the caller
    }
  };

  function dispatch(event: Event, waitUntil?: WaitUntil): readonly Effect[] {
    const now = clock.now();
    const from = state.status;
    const next = transition(state, event, now, policy);
    state = next.state;
    if (state.status !== from) emit({ type: 'transition', from, to: state.status, at: now });
    for (const effect of next.effects) run(effect, waitUntil);
    return next.effects;
  }

  /** Parks a caller; its own timer wakes the machine if the request it waits on is lost or a retry is due. */
  const wait = (signal: AbortSignal | undefined): Promise<AccessToken> =>
    new Promise((resolve, reject) => {
      const watchdog = new AbortController();
      let settled = false;
      const done = (): void => {
        settled = true;
        waiters.delete(waiter);
        try {
          watchdog.abort();
          signal?.removeEventListener('abort', abort);
        } catch {
          // Workers: settled from another request's context, which may not touch this request's timer or
          // signal ("Cannot perform I/O on behalf of a different request"). The watchdog stops on its own.
        }
      };
      const waiter: Waiter = {
        resolve: (token) => {
          done();
          resolve(token);
        },
        reject: (reason) => {
          done();
          reject(reason);
        },
      };
      const abort = (): void => waiter.reject(signal?.reason);
      waiters.add(waiter);
      signal?.addEventListener('abort', abort, { once: true });
      const watch = (): void => {
        clock.sleep(staleAfterMs, watchdog.signal).then(
          () => {
            if (settled) return;
            if (state.status === 'acquiring' && clock.now() - state.startedAt >= staleAfterMs) {
              dispatch({ type: 'stale', fetchId: state.fetchId });
            } else dispatch({ type: 'retry' });
            watch();
          },
          () => {},
        );
      };
      watch();
    });

  const self = {
    getToken(call?: ClientCredentialsGetTokenOptions): Promise<AccessToken> {
      const signal = call?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const effects = dispatch(call?.forceRefresh === true ? FORCED_GET : GET, call?.waitUntil);
      for (const effect of effects) {
        if (effect.type === 'serve') {
          // One settled promise per token: a cache hit costs what awaiting a resolved promise costs.
          if (served?.token !== effect.token)
            served = { token: effect.token, promise: Promise.resolve(effect.token) };
          return served.promise;
        }
        if (effect.type === 'fail') return Promise.reject(effect.error);
      }
      return wait(signal);
    },
    invalidate(accessToken?: string): void {
      dispatch({ type: 'invalidate', accessToken });
    },
    get state(): TokenState {
      return snapshot(state);
    },
  };
  return self;
}
