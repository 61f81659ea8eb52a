import type { GrantkitError } from './errors.js';
import type { AccessToken, TokenState } from './types.js';

/**
 * The token cache as one pure transition function: `(state, event, now) -> { state, effects }`.
 * No timers, promises or I/O here — the driver (source.ts) carries out the effects.
 */

/** When a token may be served and when it should be refreshed, fixed when it arrives. */
export interface Held {
  readonly token: AccessToken;
  /** Serve until here (`expiresAt - skew`). */
  readonly usableUntil: number;
  /** From here a caller triggers one background refresh. */
  readonly refreshAt: number;
}

/** Every state counts the token requests started so far (`fetches`): the next one's id is `fetches + 1`. */
export type State =
  | { readonly status: 'empty'; readonly failures: number; readonly fetches: number }
  /** A foreground request is in flight; callers wait. `tries` counts this acquisition's attempts. */
  | {
      readonly status: 'acquiring';
      readonly fetchId: number;
      readonly startedAt: number;
      readonly tries: number;
      readonly failures: number;
      readonly fetches: number;
    }
  | { readonly status: 'valid'; readonly held: Held; readonly failures: 0; readonly fetches: number }
  /** A background request is in flight; callers get `held` at once. */
  | {
      readonly status: 'refreshing';
      readonly held: Held;
      readonly fetchId: number;
      readonly startedAt: number;
      readonly failures: number;
      readonly fetches: number;
    }
  /**
   * The endpoint failed. With `held`, callers get it until it is no longer usable; without, they fail
   * fast with `error` until `retryAt`. `waiting`: callers are parked for a scheduled retry.
   */
  | {
      readonly status: 'backoff';
      readonly held: Held | undefined;
      readonly retryAt: number;
      readonly failures: number;
      readonly tries: number;
      readonly waiting: boolean;
      readonly error: GrantkitError;
      readonly fetches: number;
    };

export type Event =
  | { readonly type: 'get'; readonly force: boolean }
  | { readonly type: 'fetched'; readonly fetchId: number; readonly held: Held }
  | { readonly type: 'failed'; readonly fetchId: number; readonly error: GrantkitError }
  /**
   * A retry may be due (callers are parked in `backoff`). `scheduledFor`: the `retryAt` the driver's
   * timer was set for — that timer has waited the delay, so the retry is due whatever the clock reads.
   * Without it (a waiter's watchdog) the retry waits for `retryAt`.
   */
  | { readonly type: 'retry'; readonly scheduledFor?: number | undefined }
  /** A waiter's bounded wait for `fetchId` ran out: that request is presumed lost. */
  | { readonly type: 'stale'; readonly fetchId: number }
  | { readonly type: 'invalidate'; readonly accessToken: string | undefined };

export type Effect =
  /** Answer this caller now. */
  | { readonly type: 'serve'; readonly token: AccessToken }
  /** Park this caller until `resolve` or `reject`. */
  | { readonly type: 'wait' }
  /** Fail this caller now. */
  | { readonly type: 'fail'; readonly error: GrantkitError }
  /** Start token request `fetchId`; `background` when no caller waits on it. */
  | { readonly type: 'fetch'; readonly fetchId: number; readonly background: boolean }
  | { readonly type: 'resolve'; readonly token: AccessToken }
  | { readonly type: 'reject'; readonly error: GrantkitError }
  /** Dispatch `retry` with `scheduledFor: at` at `at`. */
  | { readonly type: 'schedule'; readonly at: number }
  /** The cached token was dropped (tell the store). */
  | { readonly type: 'drop'; readonly accessToken: string };

export interface Transition {
  readonly state: State;
  readonly effects: readonly Effect[];
}

export interface Policy {
  /** Tries per foreground acquisition before its callers are rejected (`retry.attempts`). */
  readonly attempts: number;
  /** How long to back off after the `failures`-th consecutive failure; never more than `maxDelayMs`. */
  delay(failures: number, error: GrantkitError): number;
  /** The backoff cap: a `retryAt` further away than this can only come from a clock stepped back. */
  readonly maxDelayMs: number;
}

export const initialState: State = { status: 'empty', failures: 0, fetches: 0 };

const WAIT: readonly Effect[] = [{ type: 'wait' }];
const NONE: readonly Effect[] = [];

/**
 * The cache hit, on its own: the token a caller gets at once without any change of state, or `undefined`
 * when {@link transition} must decide. The driver's fast path; `transition` gives the same answer.
 */
export function cacheHit(state: State, now: number): AccessToken | undefined {
  if (state.status === 'valid') return now < state.held.refreshAt ? state.held.token : undefined;
  if (state.status === 'refreshing') return now < state.held.usableUntil ? state.held.token : undefined;
  return undefined;
}

/** Nothing happens. */
const stay = (state: State): Transition => ({ state, effects: NONE });

/** The state stays; this caller gets `token`. */
const serve = (state: State, token: AccessToken): Transition => ({
  state,
  effects: [{ type: 'serve', token }],
});

/** Start a foreground request that callers wait for. */
function acquire(state: State, now: number, failures: number, tries = 0): Transition {
  const fetchId = state.fetches + 1;
  return {
    state: { status: 'acquiring', fetchId, startedAt: now, tries, failures, fetches: fetchId },
    effects: [{ type: 'fetch', fetchId, background: false }, ...WAIT],
  };
}

/** Serve `held` and refresh it with one background request. */
function refresh(state: State, held: Held, now: number, failures: number): Transition {
  const fetchId = state.fetches + 1;
  return {
    state: { status: 'refreshing', held, fetchId, startedAt: now, failures, fetches: fetchId },
    effects: [
      { type: 'serve', token: held.token },
      { type: 'fetch', fetchId, background: true },
    ],
  };
}

/** The background request in flight becomes the one callers wait for (its token is gone or refused). */
function join(state: State & { status: 'refreshing' }): State {
  const { fetchId, startedAt, failures, fetches } = state;
  return { status: 'acquiring', fetchId, startedAt, tries: 0, failures, fetches };
}

/** A backoff is over at `retryAt`, or at once when `retryAt` is beyond the cap (the clock went back). */
const due = (state: State & { status: 'backoff' }, now: number, policy: Policy): boolean =>
  now >= state.retryAt || state.retryAt - now > policy.maxDelayMs;

function onGet(state: State, force: boolean, now: number, policy: Policy): Transition {
  switch (state.status) {
    case 'empty':
      return acquire(state, now, state.failures);
    case 'acquiring':
      return { state, effects: WAIT };
    case 'valid': {
      const { held } = state;
      if (!force && now < held.refreshAt) return serve(state, held.token);
      if (force || now >= held.usableUntil) return acquire(state, now, 0);
      return refresh(state, held, now, 0);
    }
    case 'refreshing':
      if (!force && now < state.held.usableUntil) return serve(state, state.held.token);
      return { state: join(state), effects: WAIT };
    case 'backoff': {
      if (state.waiting) return { state, effects: WAIT };
      const usable =
        state.held !== undefined && !force && now < state.held.usableUntil ? state.held : undefined;
      if (!due(state, now, policy)) {
        return usable
          ? serve(state, usable.token)
          : { state, effects: [{ type: 'fail', error: state.error }] };
      }
      return usable ? refresh(state, usable, now, state.failures) : acquire(state, now, state.failures);
    }
  }
}

function inFlight(state: State): number | undefined {
  return state.status === 'acquiring' || state.status === 'refreshing' ? state.fetchId : undefined;
}

function onFailed(state: State, error: GrantkitError, now: number, policy: Policy): Transition {
  const failures = state.failures + 1;
  const retryAt = now + Math.min(policy.delay(failures, error), policy.maxDelayMs);
  const { fetches } = state;
  if (state.status === 'refreshing') {
    return stay({
      status: 'backoff',
      held: state.held,
      retryAt,
      failures,
      tries: 0,
      waiting: false,
      error,
      fetches,
    });
  }
  const tries = state.status === 'acquiring' ? state.tries + 1 : 1;
  const again = error.retryable && tries < policy.attempts;
  return {
    state: { status: 'backoff', held: undefined, retryAt, failures, tries, waiting: again, error, fetches },
    effects: again ? [{ type: 'schedule', at: retryAt }] : [{ type: 'reject', error }],
  };
}

function onInvalidate(state: State, accessToken: string | undefined): Transition {
  const held =
    state.status === 'valid' || state.status === 'refreshing' || state.status === 'backoff'
      ? state.held
      : undefined;
  if (!held || (accessToken !== undefined && accessToken !== held.token.accessToken)) return stay(state);
  const effects: readonly Effect[] = [{ type: 'drop', accessToken: held.token.accessToken }];
  if (state.status === 'refreshing') return { state: join(state), effects }; // keep the request in flight
  if (state.status === 'backoff') return { state: { ...state, held: undefined }, effects };
  return { state: { status: 'empty', failures: 0, fetches: state.fetches }, effects };
}

/**
 * The transition function. Pure: the same state, event, time and policy always give the same answer.
 *
 * @internal
 */
export function transition(state: State, event: Event, now: number, policy: Policy): Transition {
  switch (event.type) {
    case 'get':
      return onGet(state, event.force, now, policy);
    case 'fetched':
      if (event.fetchId !== inFlight(state)) return stay(state);
      return {
        state: { status: 'valid', held: event.held, failures: 0, fetches: state.fetches },
        effects: [{ type: 'resolve', token: event.held.token }],
      };
    case 'failed':
      if (event.fetchId !== inFlight(state)) return stay(state);
      return onFailed(state, event.error, now, policy);
    case 'retry':
      if (state.status !== 'backoff' || !state.waiting) return stay(state);
      if (event.scheduledFor !== state.retryAt && !due(state, now, policy)) return stay(state);
      return acquire(state, now, state.failures, state.tries);
    case 'stale':
      if (state.status !== 'acquiring' || state.fetchId !== event.fetchId) return stay(state);
      return acquire(state, now, state.failures, state.tries);
    case 'invalidate':
      return onInvalidate(state, event.accessToken);
  }
}

/** The public, token-free view of a state. */
export function snapshot(state: State): TokenState {
  const held = 'held' in state ? state.held : undefined;
  return {
    status: state.status,
    failures: state.failures,
    ...(held && { expiresAt: held.token.expiresAt, refreshAt: held.refreshAt }),
    ...(state.status === 'backoff' && { retryAt: state.retryAt, lastError: state.error.code }),
  };
}
