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
  /**
   * The effects that serve this token, allocated once by the machine when the token arrives, so a cache
   * hit allocates nothing.
   */
  readonly serve?: readonly Effect[];
}

export type State =
  | { readonly status: 'empty'; readonly failures: number }
  /** A foreground request is in flight; callers wait. `tries` counts this acquisition's attempts. */
  | {
      readonly status: 'acquiring';
      readonly fetchId: number;
      readonly startedAt: number;
      readonly tries: number;
      readonly failures: number;
    }
  /** `hit`: the transition of a cache hit, built once with the state so a hit allocates nothing. */
  | { readonly status: 'valid'; readonly held: Held; readonly failures: 0; readonly hit?: Transition }
  /** A background request is in flight; callers get `held` at once. */
  | {
      readonly status: 'refreshing';
      readonly held: Held;
      readonly fetchId: number;
      readonly startedAt: number;
      readonly failures: number;
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
    };

export type Event =
  | { readonly type: 'get'; readonly force: boolean }
  | { readonly type: 'fetched'; readonly fetchId: number; readonly held: Held }
  | { readonly type: 'failed'; readonly fetchId: number; readonly error: GrantkitError }
  /** A scheduled retry may be due (callers are parked in `backoff`); ignored before `retryAt`. */
  | { readonly type: 'retry' }
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
  /** Dispatch `retry` at `at`. */
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
  /** How long to back off after the `failures`-th consecutive failure. */
  delay(failures: number, error: GrantkitError): number;
}

export const initialState: State = { status: 'empty', failures: 0 };

const WAIT: readonly Effect[] = [{ type: 'wait' }];
const NONE: readonly Effect[] = [];

let lastFetchId = 0;
const nextFetchId = (): number => ++lastFetchId;

function acquire(
  now: number,
  failures: number,
  tries = 0,
  fetchId = nextFetchId(),
  fetch = true,
): Transition {
  return {
    state: { status: 'acquiring', fetchId, startedAt: now, tries, failures },
    effects: fetch ? [{ type: 'fetch', fetchId, background: false }, ...WAIT] : WAIT,
  };
}

/** The held token with its serve effects attached (see {@link Held.serve}). */
function serving(held: Held): Held {
  return held.serve ? held : { ...held, serve: [{ type: 'serve', token: held.token }] };
}

const serveEffects = (held: Held): readonly Effect[] => held.serve ?? [{ type: 'serve', token: held.token }];

/** The `valid` state for a token that just arrived, with its cache-hit transition. */
function valid(arrived: Held): State {
  const held = serving(arrived);
  const state: { status: 'valid'; held: Held; failures: 0; hit?: Transition } = {
    status: 'valid',
    held,
    failures: 0,
  };
  state.hit = { state, effects: serveEffects(held) };
  return state;
}

function onGet(state: State, force: boolean, now: number): Transition {
  switch (state.status) {
    case 'empty':
      return acquire(now, state.failures);
    case 'acquiring':
      return { state, effects: WAIT };
    case 'valid': {
      const { held } = state;
      if (!force && now < held.refreshAt) return state.hit ?? { state, effects: serveEffects(held) };
      if (force || now >= held.usableUntil) return acquire(now, 0);
      const fetchId = nextFetchId();
      return {
        state: { status: 'refreshing', held, fetchId, startedAt: now, failures: 0 },
        effects: [
          { type: 'serve', token: held.token },
          { type: 'fetch', fetchId, background: true },
        ],
      };
    }
    case 'refreshing':
      if (!force && now < state.held.usableUntil) return { state, effects: serveEffects(state.held) };
      // The token is gone (or refused): callers now wait for the request already in flight.
      return acquire(state.startedAt, state.failures, 0, state.fetchId, false);
    case 'backoff': {
      if (state.waiting) return { state, effects: WAIT };
      const usable = state.held !== undefined && !force && now < state.held.usableUntil;
      if (now < state.retryAt) {
        return usable && state.held
          ? { state, effects: [{ type: 'serve', token: state.held.token }] }
          : { state, effects: [{ type: 'fail', error: state.error }] };
      }
      if (usable && state.held) {
        const fetchId = nextFetchId();
        return {
          state: {
            status: 'refreshing',
            held: state.held,
            fetchId,
            startedAt: now,
            failures: state.failures,
          },
          effects: [
            { type: 'serve', token: state.held.token },
            { type: 'fetch', fetchId, background: true },
          ],
        };
      }
      return acquire(now, state.failures);
    }
  }
}

function inFlight(state: State): number | undefined {
  return state.status === 'acquiring' || state.status === 'refreshing' ? state.fetchId : undefined;
}

function onFailed(state: State, error: GrantkitError, now: number, policy: Policy): Transition {
  const failures = state.failures + 1;
  const retryAt = now + policy.delay(failures, error);
  if (state.status === 'refreshing') {
    return {
      state: { status: 'backoff', held: state.held, retryAt, failures, tries: 0, waiting: false, error },
      effects: NONE,
    };
  }
  const tries = state.status === 'acquiring' ? state.tries + 1 : 1;
  const again = error.retryable && tries < policy.attempts;
  return {
    state: { status: 'backoff', held: undefined, retryAt, failures, tries, waiting: again, error },
    effects: again ? [{ type: 'schedule', at: retryAt }] : [{ type: 'reject', error }],
  };
}

/**
 * The transition function. Pure but for fetch ids, which only need to be unique.
 *
 * @internal
 */
export function transition(state: State, event: Event, now: number, policy: Policy): Transition {
  switch (event.type) {
    case 'get':
      return onGet(state, event.force, now);
    case 'fetched':
      if (event.fetchId !== inFlight(state)) return { state, effects: NONE };
      return { state: valid(event.held), effects: [{ type: 'resolve', token: event.held.token }] };
    case 'failed':
      if (event.fetchId !== inFlight(state)) return { state, effects: NONE };
      return onFailed(state, event.error, now, policy);
    case 'retry':
      if (state.status !== 'backoff' || !state.waiting || now < state.retryAt)
        return { state, effects: NONE };
      return acquire(now, state.failures, state.tries);
    case 'stale':
      if (state.status !== 'acquiring' || state.fetchId !== event.fetchId) return { state, effects: NONE };
      return acquire(now, state.failures, state.tries);
    case 'invalidate': {
      const held =
        state.status === 'valid' || state.status === 'refreshing' || state.status === 'backoff'
          ? state.held
          : undefined;
      if (!held || (event.accessToken !== undefined && event.accessToken !== held.token.accessToken)) {
        return { state, effects: NONE };
      }
      const drop: Effect = { type: 'drop', accessToken: held.token.accessToken };
      if (state.status === 'refreshing') {
        // Keep the request in flight; it becomes the one callers wait for.
        return {
          state: acquire(state.startedAt, state.failures, 0, state.fetchId, false).state,
          effects: [drop],
        };
      }
      if (state.status === 'backoff') return { state: { ...state, held: undefined }, effects: [drop] };
      return { state: { status: 'empty', failures: 0 }, effects: [drop] };
    }
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
