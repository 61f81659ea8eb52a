import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GrantkitError, OAuthError } from './errors.js';
import {
  type Effect,
  type Event,
  type Held,
  initialState,
  type Policy,
  type State,
  transition,
} from './machine.js';

// Random interleavings of callers, clock jumps, endpoint answers (tokens, outages, refusals), lost
// requests and invalidations, checked against the invariants of docs/design.md after every step.

const policy: Policy = { attempts: 3, delay: (failures) => Math.min(8_000, 250 * 2 ** (failures - 1)) };
const outage = new GrantkitError('GRANTKIT_NETWORK_ERROR', 'down', { retryable: true });
const refused = new OAuthError('invalid_client', undefined, { status: 401 });

type Step =
  | { kind: 'get'; force: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'answer'; outcome: 'token' | 'outage' | 'refused'; lifetime: number }
  | { kind: 'invalidate'; current: boolean }
  | { kind: 'stale' }
  | { kind: 'retry' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('get' as const),
      force: fc.constantFrom(false, false, false, false, false, false, true),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      outcome: fc.constantFrom('token' as const, 'token' as const, 'outage' as const, 'refused' as const),
      lifetime: fc.integer({ min: 1, max: 20_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const), current: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const) }) },
);

function inFlight(state: State): number | undefined {
  return state.status === 'acquiring' || state.status === 'refreshing' ? state.fetchId : undefined;
}
function usable(state: State, now: number): Held | undefined {
  const held = 'held' in state ? state.held : undefined;
  return held && now < held.usableUntil ? held : undefined;
}

function check(ok: boolean, invariant: string): void {
  if (!ok) throw new Error(`invariant broken: ${invariant}`);
}

class Harness {
  state: State = initialState;
  now = 0;
  waiters = 0;
  issued = 0;
  readonly usableUntil = new Map<string, number>();

  apply(event: Event): readonly Effect[] {
    const before = this.state;
    const { state, effects } = transition(before, event, this.now, policy);
    for (const effect of effects) {
      switch (effect.type) {
        case 'serve':
          // A token is never returned at or after expiresAt - skew.
          check(
            this.now < (this.usableUntil.get(effect.token.accessToken) ?? -1),
            'served an unusable token',
          );
          break;
        case 'fetch':
          // Single flight: a new request only when none is in flight, or the one in flight is presumed lost.
          check(event.type === 'stale' || inFlight(before) === undefined, 'second request in flight');
          // Outage: no request before the backoff has passed, whatever the load.
          check(
            before.status !== 'backoff' || this.now >= before.retryAt,
            'request before the backoff ended',
          );
          break;
        case 'wait':
          this.waiters++;
          break;
        case 'resolve':
        case 'reject':
          this.waiters = 0;
          break;
      }
    }
    if (event.type === 'get' && !event.force && usable(before, this.now)) {
      // No caller waits while a valid token exists.
      check(
        effects.some((e) => e.type === 'serve'),
        'caller waited while a valid token existed',
      );
    }
    // Callers only wait when a request is in flight or a retry is scheduled for them.
    if (this.waiters > 0) {
      check(
        inFlight(state) !== undefined || (state.status === 'backoff' && state.waiting),
        'callers parked with nothing to wake them',
      );
    }
    this.state = state;
    return effects;
  }

  answer(outcome: 'token' | 'outage' | 'refused', lifetime: number): void {
    const fetchId = inFlight(this.state);
    if (fetchId === undefined) return;
    if (outcome === 'token') {
      const name = `t${++this.issued}`;
      const skew = Math.min(1_000, lifetime / 10);
      const held: Held = {
        token: { accessToken: name, tokenType: 'Bearer', expiresAt: this.now + lifetime },
        usableUntil: this.now + lifetime - skew,
        refreshAt: this.now + lifetime - skew - Math.min(4_000, lifetime / 4),
      };
      this.usableUntil.set(name, held.usableUntil);
      this.apply({ type: 'fetched', fetchId, held });
    } else {
      this.apply({ type: 'failed', fetchId, error: outcome === 'outage' ? outage : refused });
    }
  }

  run(s: Step): void {
    switch (s.kind) {
      case 'get':
        this.apply({ type: 'get', force: s.force });
        return;
      case 'advance':
        this.now += s.ms;
        return;
      case 'answer':
        this.answer(s.outcome, s.lifetime);
        return;
      case 'invalidate': {
        const held = 'held' in this.state ? this.state.held : undefined;
        this.apply({ type: 'invalidate', accessToken: s.current ? held?.token.accessToken : 'someone-else' });
        return;
      }
      case 'stale': {
        const fetchId = inFlight(this.state);
        if (fetchId !== undefined) this.apply({ type: 'stale', fetchId });
        return;
      }
      case 'retry':
        this.apply({ type: 'retry' });
        return;
    }
  }
}

describe('state machine properties', () => {
  it('keeps every invariant under random interleavings, and never strands a waiter', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 150, size: 'max' }), (steps) => {
        const h = new Harness();
        for (const s of steps) h.run(s);
        // Liveness: once the endpoint answers, every parked caller is settled.
        for (let i = 0; i < 10 && h.waiters > 0; i++) {
          if (h.state.status === 'backoff') {
            h.now = Math.max(h.now, h.state.retryAt);
            h.apply({ type: 'retry' });
          }
          h.answer('token', 10_000);
        }
        expect(h.waiters).toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });

  it('sees at most one request per backoff interval during an outage, whatever the load', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 50, max: 2_000 }),
        (callersPerTick, tick) => {
          const h = new Harness();
          h.run({ kind: 'get', force: false });
          h.answer('token', 60_000);
          let requests = 0;
          let lastFailure = -Infinity;
          let lastRetryAt = -Infinity;
          while (h.now < 120_000) {
            h.now += tick;
            for (let i = 0; i < callersPerTick; i++) {
              for (const effect of h.apply({ type: 'get', force: false })) {
                if (effect.type === 'fetch') {
                  requests++;
                  check(h.now >= lastRetryAt, 'request during backoff');
                }
              }
            }
            if (inFlight(h.state) !== undefined) {
              h.answer('outage', 0);
              lastFailure = h.now;
              if (h.state.status === 'backoff') lastRetryAt = h.state.retryAt;
            }
          }
          expect(lastFailure).toBeGreaterThan(0);
          // 120 s of outage with a backoff capped at 8 s: far fewer requests than callers.
          expect(requests).toBeLessThanOrEqual(Math.ceil(120_000 / 250) + 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
