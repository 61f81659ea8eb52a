import { cacheKey } from './cache-key.js';
import { readSecret } from './client-secret.js';
import { defaultStore } from './default-store.js';
import { GrantkitError } from './errors.js';
import { emit } from './observer.js';
import type { Settings } from './options.js';
import { hold } from './schedule.js';
import type { StoredToken, TokenLock, TokenSource, TokenStore } from './types.js';

/** How long one store call (`get`, `set`, `delete`, `lock`, `release`) may take before it counts as failed. */
export const STORE_TIMEOUT_MS = 1_000;
/** How often a source polls the store while another instance holds the lock. */
const LOCK_POLL_MS = 50;
/** What a store's `lock` resolving `undefined` becomes, told apart from a failed store call. */
const PEER_HOLDS_LOCK = Symbol('peer holds the lock');

/** A token the protocol obtained, and whether it was requested (rather than read from the store). */
export interface Obtained {
  readonly token: StoredToken;
  readonly requested: boolean;
}

type Operation = 'get' | 'set' | 'delete' | 'lock' | 'release';

/** A request in flight, joinable until `until` (then presumed lost, as a lock would lapse). */
interface Flight {
  readonly obtained: Promise<Obtained>;
  readonly until: number;
}

/**
 * The requests in flight per store and key, process-wide: two sources with the same configuration and
 * store in one process join one token request. Entries live only while their request does.
 */
const flights = new WeakMap<TokenStore, Map<string, Flight>>();

/**
 * The shared-store protocol of one source: read the store, else take its lock (or join a request in
 * flight in this process), read again under the lock, request, store, release. A peer holding the lock is
 * polled for a bounded time. Every store call is bounded by {@link STORE_TIMEOUT_MS}; a store that fails
 * or does not answer is reported (`store-error`) and the source goes on alone.
 */
export class StoreProtocol {
  readonly #store: TokenStore;
  readonly #options: Settings;
  /** How long a lock is held at most, should its holder die. */
  readonly #lockTtlMs: number;
  /** The last token invalidated: never taken back from the store. */
  #dropped: string | undefined;
  /**
   * The newest token this source has had: a run takes a token from the store only if it is newer than
   * this was when the run began.
   */
  #latest: StoredToken | undefined;

  /** The source, named in the `store-error` events it reports. */
  readonly #source: TokenSource;

  /** Without a `store` option, the default store of the source's clock (one per process by default). */
  constructor(settings: Settings, lockTtlMs: number, source: TokenSource) {
    this.#source = source;
    this.#store = settings.store ?? defaultStore(settings.clock);
    this.#options = settings;
    this.#lockTtlMs = lockTtlMs;
  }

  /**
   * Obtains a token: `deliver` gets it as soon as it is known; the returned promise settles once the
   * protocol's own work (store write, lock release) is done too, so hand it to `waitUntil`. It rejects
   * with the token request's error.
   */
  async obtain(request: () => Promise<StoredToken>, deliver: (obtained: Obtained) => boolean): Promise<void> {
    // Fixed when the run begins: a run presumed lost may still be waiting for a peer when its successor
    // delivers a token, and must then take that token from the store rather than request another.
    const since = this.#latest;
    const key = await this.#key();
    const stored = await this.#read(key, since);
    if (stored) return this.#take(deliver, { token: stored, requested: false });
    const now = this.#options.clock.now();
    let inFlight = flights.get(this.#store);
    const joined = inFlight?.get(key);
    if (joined && now < joined.until) {
      const { token } = await joined.obtained;
      return this.#take(deliver, { token, requested: false });
    }
    let tail: Promise<void> = Promise.resolve();
    const flight: Flight = {
      obtained: this.#locked(key, since, request, (done) => {
        tail = done;
      }),
      until: now + this.#lockTtlMs,
    };
    if (!inFlight) {
      inFlight = new Map();
      flights.set(this.#store, inFlight);
    }
    inFlight.set(key, flight);
    try {
      this.#take(deliver, await flight.obtained);
    } finally {
      if (inFlight.get(key) === flight) inFlight.delete(key);
      if (inFlight.size === 0) flights.delete(this.#store);
      await tail;
    }
  }

  /**
   * The store key of the configuration for the secret as it reads now: a rotated secret moves the source
   * to a new key. Computed per acquisition (one HMAC beside a token request) rather than kept per source.
   */
  async #key(): Promise<string> {
    const { tokenUrl, issuer, clientId, parameters, clientSecret } = this.#options;
    return cacheKey(tokenUrl ?? issuer?.href ?? '', clientId, parameters, await readSecret(clientSecret));
  }

  /** The token was invalidated: forget it here and in the store. */
  drop(accessToken: string): Promise<void> {
    this.#dropped = accessToken;
    return this.#call('delete', async () => this.#store.delete(await this.#key(), accessToken)).then(
      () => {},
    );
  }

  /** `deliver` says whether the machine took the token (a superseded fetch's is dropped, so not ours yet). */
  #take(deliver: (obtained: Obtained) => boolean, obtained: Obtained): void {
    if (deliver(obtained)) this.#latest = obtained.token;
  }

  /** Under the store's lock (when it has one): read again, else request and store. */
  async #locked(
    key: string,
    since: StoredToken | undefined,
    request: () => Promise<StoredToken>,
    after: (done: Promise<void>) => void,
  ): Promise<Obtained> {
    const lock = this.#store.lock ? await this.#lock(key) : undefined;
    if (lock === PEER_HOLDS_LOCK) {
      const peer = await this.#awaitPeer(key, since);
      if (peer.token) return { token: peer.token, requested: false };
      if (!peer.lock) return this.#request(key, request, after);
      return this.#underLock(key, since, request, after, peer.lock);
    }
    if (!lock) return this.#request(key, request, after);
    return this.#underLock(key, since, request, after, lock);
  }

  /** Holding the lock: read again, else request; the lock is released in every case. */
  async #underLock(
    key: string,
    since: StoredToken | undefined,
    request: () => Promise<StoredToken>,
    after: (done: Promise<void>) => void,
    lock: TokenLock,
  ): Promise<Obtained> {
    let requested = false;
    try {
      // A peer may have stored its token between our first read and our lock: read again.
      const token = await this.#read(key, since);
      if (token) return { token, requested: false };
      requested = true;
      return await this.#request(key, request, after, lock);
    } finally {
      // #request releases the lock itself (after storing the token); otherwise release it here.
      if (!requested) after(this.#release(lock));
    }
  }

  /** Requests a token; storing it and releasing the lock continue after it is delivered. */
  async #request(
    key: string,
    request: () => Promise<StoredToken>,
    after: (done: Promise<void>) => void,
    lock?: TokenLock,
  ): Promise<Obtained> {
    let token: StoredToken;
    try {
      token = await request();
    } catch (error) {
      if (lock) after(this.#release(lock));
      throw error;
    }
    const { timing, random } = this.#options;
    const receivedAt = token.receivedAt ?? this.#options.clock.now();
    // The store forgets the token when it stops being usable, so no instance reads a dying token.
    const usableFor = hold(token, receivedAt, timing, random).usableUntil - receivedAt;
    after(
      this.#call('set', () => this.#store.set(key, token, Math.max(1, usableFor))).then(() =>
        lock ? this.#release(lock) : undefined,
      ),
    );
    return { token, requested: true };
  }

  /** A token from the store that is usable, not dropped and newer than `since`, or undefined. */
  async #read(key: string, since: StoredToken | undefined): Promise<StoredToken | undefined> {
    const stored = await this.#call('get', () => this.#store.get(key));
    if (!stored || typeof stored.accessToken !== 'string' || stored.accessToken === this.#dropped) return;
    if (since && stored.expiresAt <= since.expiresAt) return;
    const { clock, timing, random } = this.#options;
    const now = clock.now();
    return hold(stored, stored.receivedAt ?? now, timing, random).usableUntil > now ? stored : undefined;
  }

  /** The lock, {@link PEER_HOLDS_LOCK}, or `undefined` when the store failed (then go on alone). */
  async #lock(key: string): Promise<TokenLock | typeof PEER_HOLDS_LOCK | undefined> {
    let call: Promise<TokenLock | undefined> | undefined;
    const lock = await this.#call('lock', async () => {
      call = this.#store.lock?.(key, this.#lockTtlMs);
      return (await call) ?? PEER_HOLDS_LOCK;
    });
    // A lock granted after we gave up on it is given back at once.
    if (lock === undefined) call?.then((late) => late?.release()).catch(() => {});
    return lock;
  }

  #release(lock: TokenLock): Promise<void> {
    return this.#call('release', () => lock.release()).then(() => {});
  }

  /**
   * Another instance holds the lock: poll the store for its token, and retry the lock, for a bounded time:
   * twice the lock's ttl, so that a lock whose holder died surely lapses first and one survivor takes it
   * over, while the others go on waiting for that survivor's token.
   */
  async #awaitPeer(
    key: string,
    since: StoredToken | undefined,
  ): Promise<{ token?: StoredToken; lock?: TokenLock }> {
    const { clock } = this.#options;
    const deadline = clock.now() + 2 * this.#lockTtlMs;
    while (clock.now() < deadline) {
      await clock.sleep(LOCK_POLL_MS);
      const token = await this.#read(key, since);
      if (token) return { token };
      const lock = await this.#lock(key);
      if (lock !== PEER_HOLDS_LOCK) return lock ? { lock } : {};
    }
    return {};
  }

  /** One store call, bounded: its failure or silence is reported and becomes `undefined`. */
  async #call<T>(operation: Operation, call: () => Promise<T> | undefined): Promise<T | undefined> {
    const { clock } = this.#options;
    const timer = new AbortController();
    const silence = new Promise<never>((_, reject) => {
      clock.sleep(STORE_TIMEOUT_MS, timer.signal).then(
        () =>
          reject(
            new GrantkitError(
              'GRANTKIT_TIMEOUT',
              `the token store did not answer ${operation} within ${STORE_TIMEOUT_MS} ms`,
            ),
          ),
        () => {},
      );
    });
    try {
      return await Promise.race([call(), silence]);
    } catch (error) {
      emit(this.#options, { type: 'store-error', operation, error, at: clock.now() }, this.#source);
      return undefined;
    } finally {
      timer.abort();
    }
  }
}
