/**
 * A source of the current time in epoch milliseconds. `Date` is one; so is {@link ManualClock}.
 *
 * @example
 * ```ts
 * await createAuthServer({ clock: { now: () => 1_700_000_000_000 }, realms });
 * ```
 */
export interface Clock {
  /** The current time, in milliseconds since the epoch. */
  now(): number;
}

/**
 * A clock that only moves when a test moves it, with sleeps that wake when it passes their deadline.
 *
 * @example
 * ```ts
 * const clock = createManualClock(0);
 * const woke = clock.sleep(1000);
 * clock.advance(1000);
 * await woke; // clock.now() === 1000
 * ```
 */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms` and resolves every sleep that is now due, earliest deadline first
   * (ties in the order the sleeps started). The resolutions happen synchronously; their continuations run
   * after `advance` returns, so they all observe the final time.
   */
  advance(ms: number): void;
  /** Sets the time to `epochMs`. Moving forward resolves due sleeps like {@link ManualClock.advance}. */
  set(epochMs: number): void;
  /**
   * A promise that resolves once the clock reaches `now() + ms` (at once if `ms <= 0`), or rejects with
   * `signal.reason` when `signal` aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** How many sleeps are waiting for the clock. */
  readonly pendingSleeps: number;
}

interface PendingSleep {
  readonly due: number;
  readonly order: number;
  readonly wake: () => void;
}

/**
 * Creates a {@link ManualClock} that starts at `start` (epoch ms, default `1_700_000_000_000`).
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * const auth = await createAuthServer({ clock, realms: { demo: { clients: { svc: { secret: 's' } } } } });
 * clock.advance(3_600_000); // tokens issued before now look expired to the resource server
 * ```
 */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let current = start;
  let nextOrder = 0;
  let pending: PendingSleep[] = [];

  const wakeDue = (): void => {
    const due = pending
      .filter((sleep) => sleep.due <= current)
      .sort((a, b) => a.due - b.due || a.order - b.order);
    pending = pending.filter((sleep) => sleep.due > current);
    for (const sleep of due) sleep.wake();
  };

  const moveTo = (target: number): void => {
    // Step through each deadline so sleeps wake in order even when one advance passes several.
    for (;;) {
      const next = pending.reduce<number | undefined>(
        (earliest, sleep) => (earliest === undefined || sleep.due < earliest ? sleep.due : earliest),
        undefined,
      );
      if (next === undefined || next > target) break;
      current = Math.max(current, next);
      wakeDue();
    }
    current = target;
  };

  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
      moveTo(current + ms);
    },
    set(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`set(epochMs) needs a finite time, got ${epochMs}`);
      if (epochMs >= current) moveTo(epochMs);
      else current = epochMs;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          pending = pending.filter((sleep) => sleep !== entry);
          reject(signal?.reason);
        };
        const entry: PendingSleep = {
          due: current + ms,
          order: nextOrder++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        pending.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    get pendingSleeps() {
      return pending.length;
    },
  };
}
