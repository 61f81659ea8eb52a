import type { AccessToken, Clock } from './types.js';

interface Waiter {
  resolve(token: AccessToken): void;
  reject(reason: unknown): void;
}

/**
 * The callers parked on a source until its machine resolves or rejects them. Each parked caller keeps its
 * own watchdog: every `boundMs` it calls `wake`, so a request lost with another caller's context (a
 * cancelled Workers request) or a retry whose timer never fired cannot strand it.
 */
export class ParkedCallers {
  #waiters: Set<Waiter> | undefined;
  readonly #clock: Clock;
  readonly #boundMs: number;
  readonly #wake: () => void;

  constructor(clock: Clock, boundMs: number, wake: () => void) {
    this.#clock = clock;
    this.#boundMs = boundMs;
    this.#wake = wake;
  }

  /** Parks a caller; `signal` abandons this caller's wait only. */
  park(signal: AbortSignal | undefined): Promise<AccessToken> {
    this.#waiters ??= new Set();
    const waiters = this.#waiters;
    return new Promise((resolve, reject) => {
      const watchdog = new AbortController();
      let settled = false;
      const done = (): void => {
        settled = true;
        waiters.delete(waiter);
        if (this.#waiters?.size === 0) this.#waiters = undefined;
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
        this.#clock.sleep(this.#boundMs, watchdog.signal).then(
          () => {
            if (settled) return;
            this.#wake();
            watch();
          },
          () => {},
        );
      };
      watch();
    });
  }

  resolveAll(token: AccessToken): void {
    for (const waiter of this.#take()) waiter.resolve(token);
  }

  rejectAll(error: unknown): void {
    for (const waiter of this.#take()) waiter.reject(error);
  }

  /** Everyone parked now; the set is dropped, so a source nobody waits on holds none. */
  #take(): Iterable<Waiter> {
    const settled = this.#waiters ?? [];
    this.#waiters = undefined;
    return settled;
  }
}
