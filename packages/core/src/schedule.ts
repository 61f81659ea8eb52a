import type { GrantkitError } from './errors.js';
import type { Held } from './machine.js';
import type { AccessToken } from './types.js';

/** The timing options, resolved. */
export interface Timing {
  readonly expirySkewMs: number;
  readonly refreshAheadMs: number;
  readonly defaultLifetimeMs: number;
  readonly maxLifetimeMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The lifetime a token response grants: `expires_in` seconds when it is a usable number, the default
 * lifetime when it is missing, not a number or not positive, and never more than the maximum.
 */
export function lifetimeMs(expiresIn: unknown, timing: Timing): number {
  const seconds = typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
    return timing.defaultLifetimeMs;
  return Math.min(seconds * 1000, timing.maxLifetimeMs);
}

/**
 * When to stop serving a token and when to refresh it. Skew and the refresh-ahead window shrink with the
 * lifetime (skew: 10 % of it, but at least 1 s or a quarter of a shorter lifetime; window: at most 25 %), so a 60 s
 * or a 4 s token is still cached and refreshed ahead.
 * The refresh point is jittered over the first half of the window so a fleet does not refresh in step.
 */
export function hold(token: AccessToken, receivedAt: number, timing: Timing, random: () => number): Held {
  const lifetime = Math.max(0, token.expiresAt - receivedAt);
  // At least 1 s (a quarter of a shorter lifetime): servers put whole seconds in `exp`, so a token may
  // die up to a second before receive time + expires_in says.
  const skew = Math.min(timing.expirySkewMs, Math.max(Math.min(1_000, lifetime / 4), lifetime / 10));
  const usableUntil = token.expiresAt - skew;
  const window = Math.min(timing.refreshAheadMs, lifetime / 4);
  return { token, usableUntil, refreshAt: Math.floor(usableUntil - window + (window / 2) * random()) };
}

/**
 * Exponential backoff with full jitter, at least what `Retry-After` asked, never more than the cap.
 */
export function backoff(
  failures: number,
  error: GrantkitError,
  timing: Timing,
  random: () => number,
): number {
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.min(failures - 1, 30));
  return Math.min(timing.maxDelayMs, Math.max(error.retryAfterMs ?? 0, Math.floor(ceiling * random())));
}
