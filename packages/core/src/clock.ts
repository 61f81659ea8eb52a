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
 * @param wall - the wall clock, read once (`Date.now`).
 * @param elapsed - a monotonic reading in ms (`performance.now`; `Date.now` where there is none).
 */
export function monotonicClock(wall: () => number, elapsed: () => number): Clock {
  const anchor = wall() - elapsed();
  return { now: () => anchor + elapsed(), sleep };
}

/** What {@link clockOf} reads of the runtime's `performance`. */
export interface PerformanceClock {
  readonly timeOrigin: number;
  now(): number;
}

/**
 * The clock over the runtime's `performance` (none: `Date.now`). Where its `timeOrigin` is 0 — workerd,
 * whose `performance.now()` reads epoch time during a request and 0 while a Worker's module loads —
 * `performance.now()` is already epoch time and is read as it is: anchored to the wall clock at load, it
 * would read twice the epoch, and isolates loaded at different times would disagree on every `expiresAt`.
 */
export function clockOf(performance: PerformanceClock | undefined): Clock {
  if (performance === undefined) return monotonicClock(Date.now, Date.now);
  if (performance.timeOrigin === 0) return { now: () => performance.now(), sleep };
  return monotonicClock(Date.now, () => performance.now());
}

/** The default clock of every source. */
export const systemClock: Clock = clockOf(typeof performance === 'undefined' ? undefined : performance);
