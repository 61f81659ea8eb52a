import { describe, expect, it } from 'vitest';
import { GrantkitError, OAuthError } from './errors.js';
import {
  cacheHit,
  type Effect,
  type Event,
  type Held,
  initialState,
  type Policy,
  type State,
  transition,
} from './machine.js';

const policy: Policy = { attempts: 3, delay: (failures) => 1_000 * 2 ** (failures - 1), maxDelayMs: 60_000 };
const held = (name: string, usableUntil = 10_000, refreshAt = 8_000): Held => ({
  token: { accessToken: name, tokenType: 'Bearer', expiresAt: usableUntil + 500 },
  usableUntil,
  refreshAt,
});
const outage = new GrantkitError('GRANTKIT_NETWORK_ERROR', 'down', { retryable: true });
const refused = new OAuthError('invalid_client', undefined, { status: 401 });

function run(state: State, event: Event, now: number): { state: State; effects: readonly Effect[] } {
  return transition(state, event, now, policy);
}
const types = (effects: readonly Effect[]): string[] => effects.map((e) => e.type);
function fetchIdOf(effects: readonly Effect[]): number {
  const fetch = effects.find((e) => e.type === 'fetch');
  if (fetch?.type !== 'fetch') throw new Error('no fetch effect');
  return fetch.fetchId;
}

describe('the token cache state machine', () => {
  it('starts one foreground request for the first caller and parks the rest', () => {
    const first = run(initialState, { type: 'get', force: false }, 0);
    expect(first.state.status).toBe('acquiring');
    expect(types(first.effects)).toEqual(['fetch', 'wait']);
    const second = run(first.state, { type: 'get', force: false }, 1);
    expect(types(second.effects)).toEqual(['wait']);
  });

  it('resolves every waiter with the fetched token and serves it after', () => {
    const a = run(initialState, { type: 'get', force: false }, 0);
    const b = run(a.state, { type: 'fetched', fetchId: fetchIdOf(a.effects), held: held('t1') }, 5);
    expect(b.state.status).toBe('valid');
    expect(b.effects).toEqual([{ type: 'resolve', token: held('t1').token }]);
    const c = run(b.state, { type: 'get', force: false }, 6);
    expect(c.effects).toEqual([{ type: 'serve', token: held('t1').token }]);
  });

  it('serves at once and refreshes once in the background inside the refresh window', () => {
    const valid: State = { status: 'valid', held: held('t1'), failures: 0, fetches: 1 };
    const a = run(valid, { type: 'get', force: false }, 8_500);
    expect(a.state.status).toBe('refreshing');
    expect(a.effects).toEqual([
      { type: 'serve', token: held('t1').token },
      { type: 'fetch', fetchId: fetchIdOf(a.effects), background: true },
    ]);
    const b = run(a.state, { type: 'get', force: false }, 8_600);
    expect(types(b.effects)).toEqual(['serve']);
  });

  it('never serves a token at or after usableUntil: callers wait for the request in flight', () => {
    const refreshing = run(
      { status: 'valid', held: held('t1'), failures: 0, fetches: 1 },
      { type: 'get', force: false },
      8_500,
    );
    const late = run(refreshing.state, { type: 'get', force: false }, 10_000);
    expect(late.state.status).toBe('acquiring');
    expect(types(late.effects)).toEqual(['wait']); // joins the background request, no second fetch
    const expired = run(
      { status: 'valid', held: held('t1'), failures: 0, fetches: 1 },
      { type: 'get', force: false },
      10_000,
    );
    expect(types(expired.effects)).toEqual(['fetch', 'wait']);
  });

  it('keeps serving the valid token when a refresh fails, and retries only after the backoff', () => {
    const refreshing = run(
      { status: 'valid', held: held('t1'), failures: 0, fetches: 1 },
      { type: 'get', force: false },
      8_500,
    );
    const failed = run(
      refreshing.state,
      { type: 'failed', fetchId: fetchIdOf(refreshing.effects), error: outage },
      8_600,
    );
    expect(failed.state).toMatchObject({ status: 'backoff', retryAt: 9_600, failures: 1 });
    expect(failed.effects).toEqual([]);
    expect(types(run(failed.state, { type: 'get', force: false }, 9_000).effects)).toEqual(['serve']);
    expect(types(run(failed.state, { type: 'get', force: false }, 9_600).effects)).toEqual([
      'serve',
      'fetch',
    ]);
    // Past usableUntil with the retry not yet due: fail fast with the last error.
    const gone = run({ ...failed.state, retryAt: 20_000 } as State, { type: 'get', force: false }, 10_000);
    expect(gone.effects).toEqual([{ type: 'fail', error: outage }]);
  });

  it('retries a retryable foreground failure after the backoff, then rejects all waiters', () => {
    let step = run(initialState, { type: 'get', force: false }, 0);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failed = run(step.state, { type: 'failed', fetchId: fetchIdOf(step.effects), error: outage }, 10);
      if (attempt < 3) {
        expect(failed.state).toMatchObject({ status: 'backoff', waiting: true });
        expect(types(failed.effects)).toEqual(['schedule']);
        expect(types(run(failed.state, { type: 'get', force: false }, 11).effects)).toEqual(['wait']);
        expect(run(failed.state, { type: 'retry' }, 11).effects).toEqual([]); // not due yet
        step = run(failed.state, { type: 'retry' }, 1_000_000);
        expect(types(step.effects)).toEqual(['fetch', 'wait']);
      } else {
        expect(failed.effects).toEqual([{ type: 'reject', error: outage }]);
        expect(failed.state).toMatchObject({ status: 'backoff', waiting: false, failures: 3 });
      }
    }
  });

  it('never retries invalid_client and fails fast until the backoff ends', () => {
    const a = run(initialState, { type: 'get', force: false }, 0);
    const b = run(a.state, { type: 'failed', fetchId: fetchIdOf(a.effects), error: refused }, 0);
    expect(b.effects).toEqual([{ type: 'reject', error: refused }]);
    expect(run(b.state, { type: 'get', force: false }, 999).effects).toEqual([
      { type: 'fail', error: refused },
    ]);
    expect(types(run(b.state, { type: 'get', force: false }, 1_000).effects)).toEqual(['fetch', 'wait']);
  });

  it('ignores answers to requests it no longer waits for', () => {
    const a = run(initialState, { type: 'get', force: false }, 0);
    const stale = run(a.state, { type: 'stale', fetchId: fetchIdOf(a.effects) }, 20_000);
    expect(types(stale.effects)).toEqual(['fetch', 'wait']);
    const late = run(
      stale.state,
      { type: 'fetched', fetchId: fetchIdOf(a.effects), held: held('old') },
      20_001,
    );
    expect(late.state).toBe(stale.state);
    expect(late.effects).toEqual([]);
  });

  it('invalidates only the current token (compare-and-invalidate)', () => {
    const valid: State = { status: 'valid', held: held('t1'), failures: 0, fetches: 1 };
    expect(run(valid, { type: 'invalidate', accessToken: 'other' }, 0).state).toBe(valid);
    const dropped = run(valid, { type: 'invalidate', accessToken: 't1' }, 0);
    expect(dropped.state.status).toBe('empty');
    expect(dropped.effects).toEqual([{ type: 'drop', accessToken: 't1' }]);
  });

  it('turns a background refresh into the request callers wait for when its token is invalidated', () => {
    const refreshing = run(
      { status: 'valid', held: held('t1'), failures: 0, fetches: 1 },
      { type: 'get', force: false },
      8_500,
    );
    const dropped = run(refreshing.state, { type: 'invalidate', accessToken: 't1' }, 8_600);
    expect(dropped.state).toMatchObject({ status: 'acquiring', fetchId: fetchIdOf(refreshing.effects) });
    expect(types(run(dropped.state, { type: 'get', force: false }, 8_700).effects)).toEqual(['wait']);
  });

  it('forceRefresh skips the cached token but joins a request in flight', () => {
    const valid: State = { status: 'valid', held: held('t1'), failures: 0, fetches: 1 };
    const forced = run(valid, { type: 'get', force: true }, 100);
    expect(types(forced.effects)).toEqual(['fetch', 'wait']);
    expect(types(run(forced.state, { type: 'get', force: true }, 101).effects)).toEqual(['wait']);
  });

  it('a scheduled retry that fires while the clock reads just short of retryAt still leads to the request', () => {
    const a = run(initialState, { type: 'get', force: false }, 0);
    const failed = run(a.state, { type: 'failed', fetchId: fetchIdOf(a.effects), error: outage }, 10);
    const at = (failed.effects[0] as Effect & { type: 'schedule' }).at;
    expect(run(failed.state, { type: 'retry' }, at - 1).effects).toEqual([]); // a watchdog: not yet
    const early = run(failed.state, { type: 'retry', scheduledFor: at }, at - 1);
    expect(types(early.effects)).toEqual(['fetch', 'wait']);
    // A timer left over from an earlier backoff does not cut this one short.
    expect(run(failed.state, { type: 'retry', scheduledFor: at - 500 }, at - 1).effects).toEqual([]);
  });

  it('takes a retryAt further away than the backoff cap as due: the clock was stepped back', () => {
    const a = run(initialState, { type: 'get', force: false }, 3_600_000);
    const failed = run(a.state, { type: 'failed', fetchId: fetchIdOf(a.effects), error: refused }, 3_600_000);
    expect(failed.state).toMatchObject({ status: 'backoff', retryAt: 3_601_000 });
    expect(types(run(failed.state, { type: 'get', force: false }, 3_600_500).effects)).toEqual(['fail']);
    // One hour back: retryAt is now an hour and a second away, beyond the 60 s cap.
    expect(types(run(failed.state, { type: 'get', force: false }, 500).effects)).toEqual(['fetch', 'wait']);
  });

  it('numbers requests from the state, so the same state and event always give the same transition', () => {
    const a = run(initialState, { type: 'get', force: false }, 0);
    expect(run(initialState, { type: 'get', force: false }, 0)).toEqual(a);
    expect(fetchIdOf(a.effects)).toBe(1);
    const b = run(a.state, { type: 'stale', fetchId: 1 }, 20_000);
    expect(fetchIdOf(b.effects)).toBe(2);
    expect(b.state.fetches).toBe(2);
  });

  it('has one pure cache-hit function that agrees with the transition', () => {
    const valid: State = { status: 'valid', held: held('t1'), failures: 0, fetches: 1 };
    expect(cacheHit(valid, 7_999)).toBe(valid.held.token);
    expect(run(valid, { type: 'get', force: false }, 7_999)).toEqual({
      state: valid,
      effects: [{ type: 'serve', token: valid.held.token }],
    });
    expect(cacheHit(valid, 8_000)).toBeUndefined(); // the refresh window: the transition decides
    expect(cacheHit(initialState, 0)).toBeUndefined();
  });
});
