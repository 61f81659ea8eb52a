import type { Clock } from './types.js';

/** Resolves after `ms` of the runtime's timers, or rejects with `signal.reason` when it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * A monotonic clock in epoch milliseconds: the wall clock read once, when the clock is made, plus the
 * monotonic time elapsed since. Stepping the system clock (NTP, a VM resumed, an operator) moves
 * neither expiry nor backoff, and `now()` stays comparable to `Date.now()` for `expiresAt`.
 *
 * @param wall - the wall clock, read once (default `Date.now`).
 * @param elapsed - a monotonic reading in ms (default `performance.now`; `Date.now` where there is none).
 */
export function monotonicClock(
  wall: () => number = Date.now,
  elapsed: () => number = typeof performance === 'undefined' ? Date.now : () => performance.now(),
): Clock {
  const anchor = wall() - elapsed();
  return { now: () => anchor + elapsed(), sleep };
}

/** The default clock of every source. */
export const systemClock: Clock = monotonicClock();
