import type { StoredToken, TokenLock, TokenStore } from './types.js';

/**
 * The default {@link TokenStore}: a `Map` in this isolate, with expiry and an in-process lock. Share one
 * instance between sources to share tokens between sources with the same configuration.
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

  /** @param now - the time source for expiry; default `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(key: string): Promise<StoredToken | undefined> {
    const entry = this.#entries.get(key);
    if (entry && entry.until <= this.#now()) this.#entries.delete(key);
    return Promise.resolve(entry && entry.until > this.#now() ? entry.token : undefined);
  }

  set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    this.#entries.set(key, { token, until: this.#now() + ttlMs });
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
}
