import type { StoredToken, TokenLock, TokenStore } from './types.js';

/** Expired entries are swept when the map has grown this much since the last sweep. */
const SWEEP_FACTOR = 2;
const SWEEP_MIN = 64;

/**
 * The default {@link TokenStore}: a `Map` in this isolate, with expiry and an in-process lock. Expired
 * entries are swept as new ones arrive, so a service that cycles through many tenants does not grow.
 * Sources built without a `store` option already share one per clock (per process with the default
 * clock); pass one to choose which sources share: those with the same configuration share its tokens and
 * join one token request in flight.
 *
 * @example
 * ```ts
 * const store = new MemoryTokenStore();
 * const a = clientCredentials({ tokenUrl, clientId, clientSecret, store });
 * const b = clientCredentials({ tokenUrl, clientId, clientSecret, store }); // reuses a's token
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, { token: StoredToken; until: number }>();
  readonly #locks = new Map<string, number>();
  readonly #now: () => number;
  #sweepAt = SWEEP_MIN;

  /** @param now - the time source for expiry; default `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * How many entries it holds, expired ones included until they are swept.
   *
   * @example
   * ```ts
   * new MemoryTokenStore().size; // 0
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Promise<StoredToken | undefined> {
    const entry = this.#entries.get(key);
    if (entry && entry.until <= this.#now()) this.#entries.delete(key);
    return Promise.resolve(entry && entry.until > this.#now() ? entry.token : undefined);
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    this.#entries.set(key, { token, until: this.#now() + ttlMs });
    if (this.#entries.size >= this.#sweepAt) this.#sweep();
    return Promise.resolve();
  }

  delete(key: string, accessToken?: string): Promise<void> {
    if (accessToken === undefined || this.#entries.get(key)?.token.accessToken === accessToken) {
      this.#entries.delete(key);
    }
    return Promise.resolve();
  }

  lock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const now = this.#now();
    if ((this.#locks.get(key) ?? 0) > now) return Promise.resolve(undefined);
    const until = now + ttlMs;
    this.#locks.set(key, until);
    return Promise.resolve({
      release: () => {
        if (this.#locks.get(key) === until) this.#locks.delete(key);
        return Promise.resolve();
      },
    });
  }

  /** Forgets every expired entry and lapsed lock. */
  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.until <= now) this.#entries.delete(key);
    for (const [key, until] of this.#locks) if (until <= now) this.#locks.delete(key);
    this.#sweepAt = Math.max(SWEEP_MIN, this.#entries.size * SWEEP_FACTOR);
  }
}
