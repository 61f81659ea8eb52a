import { createAuthServer, createManualClock } from '@grantkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monotonicClock } from './clock.js';
import { type AccessToken, clientCredentials, type TokenEvent } from './index.js';
import { eventually, settle } from './test/fixture.js';

// The whole source — driver, store, openid-client — against the in-process fake, under random
// interleavings of callers, aborts, clock jumps, endpoint failures and invalidations. The source runs on
// the default monotonic clock over a wall clock that the commands step back and forth (NTP, a resumed
// VM) while real time — the manual clock under it — only moves forward.

type Command =
  | { kind: 'call'; callers: number; abort: 'none' | 'at-once' | 'later' }
  | { kind: 'advance'; ms: number }
  /** The system clock is stepped (back or forth); real time does not move. */
  | { kind: 'wall'; ms: number }
  /** Time moves while a request is on the wire: a caller, a jump, another caller. */
  | { kind: 'race'; ms: number }
  | { kind: 'outage'; requests: number; status: 429 | 500 | 503 }
  | { kind: 'drop'; requests: number }
  | { kind: 'heal' }
  | { kind: 'invalidate' }
  | { kind: 'force' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      callers: fc.integer({ min: 1, max: 20 }),
      abort: fc.constantFrom('none' as const, 'none' as const, 'at-once' as const, 'later' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('outage' as const),
      requests: fc.integer({ min: 1, max: 50 }),
      status: fc.constantFrom(429 as const, 500 as const, 503 as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('drop' as const), requests: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wall' as const),
      ms: fc.integer({ min: -3_600_000, max: 3_600_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('race' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('force' as const) }) },
);

const auth = await createAuthServer({
  realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 60 } } } },
});

describe('token source properties (in-process fake)', () => {
  it('keeps the invariants under random calls, aborts, clock jumps and outages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(4, 60, 3_600),
        fc.array(command, { minLength: 5, maxLength: 40, size: 'max' }),
        async (lifetime, commands) => {
          auth.reset();
          auth.setLifetime('svc', lifetime);
          const real = createManualClock();
          let wall = real.now();
          const clock = {
            now: monotonicClock(() => wall, real.now).now,
            sleep: real.sleep,
            advance: real.advance,
          };
          let inFlight = 0;
          let maxInFlight = 0;
          let lastRetryAt = Number.NEGATIVE_INFINITY;
          const violations: string[] = [];
          const onEvent = (event: TokenEvent): void => {
            if (event.type === 'token-request' && event.at < lastRetryAt)
              violations.push('request during backoff');
            if (event.type === 'token-error') lastRetryAt = event.retryAt;
            if (event.type === 'token-response') lastRetryAt = Number.NEGATIVE_INFINITY;
          };
          const source = clientCredentials({
            tokenUrl: auth.tokenUrl('http://keycloak.test', 'demo'),
            clientId: 'svc',
            clientSecret: 's3cret',
            allowInsecureRequests: true,
            clock,
            onEvent,
            retry: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
            fetch: async (input, init) => {
              maxInFlight = Math.max(maxInFlight, ++inFlight);
              try {
                return await auth.fetch(input, init);
              } finally {
                inFlight--;
              }
            },
          });
          const skew = Math.min(30_000, (lifetime * 1_000) / 10);
          const pending: Promise<void>[] = [];
          // Lets the wire go quiet (in real time, however loaded the machine) before the clock may jump.
          const quiesce = async (): Promise<void> => {
            await settle(0);
            const busy = (): boolean =>
              inFlight > 0 || source.state.status === 'acquiring' || source.state.status === 'refreshing';
            await eventually(() => !busy(), 10_000).catch(() => {}); // a request may legitimately wait for a lock poll
            await settle(0);
          };
          // Never returned at or after expiresAt - skew: a token handed to a caller was usable when it asked
          // (a waiter gets one fetched after it asked, so this holds for it too).
          const check = (token: AccessToken, askedAt: number): void => {
            if (askedAt >= token.expiresAt - skew)
              violations.push(`served a token ${token.expiresAt - askedAt} ms before expiry`);
          };
          let current: AccessToken | undefined;
          const call = (abort: 'none' | 'at-once' | 'later'): void => {
            const controller = new AbortController();
            const reason = new Error('caller aborted');
            if (abort === 'at-once') controller.abort(reason);
            const askedAt = real.now(); // real time, not the clock under test
            const settled = source.getToken({ signal: controller.signal }).then(
              (token) => {
                check(token, askedAt);
                current = token;
              },
              (error: unknown) => {
                // An aborted caller gets its own reason; anyone else a typed error.
                if (controller.signal.aborted) {
                  if (error !== reason) violations.push('aborted caller got another error');
                } else if ((error as { code?: string }).code === undefined) violations.push('untyped error');
              },
            );
            if (abort === 'later') queueMicrotask(() => controller.abort(reason));
            pending.push(settled);
          };
          for (const c of commands) {
            switch (c.kind) {
              case 'call':
                for (let i = 0; i < c.callers; i++) call(c.abort);
                break;
              case 'race':
                call('none');
                await settle(0);
                clock.advance(c.ms);
                call('none');
                break;
              case 'advance':
                await quiesce(); // the clock moves while nothing is on the wire, as on a real host
                clock.advance(c.ms);
                break;
              case 'outage':
                auth.faults.fail(c.requests, { status: c.status });
                break;
              case 'drop':
                auth.faults.drop(c.requests);
                break;
              case 'heal':
                auth.faults.clear();
                break;
              case 'wall':
                wall += c.ms;
                break;
              case 'invalidate':
                if (current) source.invalidate(current.accessToken);
                break;
              case 'force':
                {
                  const askedAt = real.now(); // real time, not the clock under test
                  pending.push(
                    source.getToken({ forceRefresh: true }).then(
                      (token) => check(token, askedAt),
                      () => {},
                    ),
                  );
                }
                break;
            }
            await quiesce();
          }
          // Liveness: with the endpoint healthy again and time moving on, every caller settles.
          auth.faults.clear();
          for (let i = 0; i < 10; i++) {
            await quiesce();
            clock.advance(30_000);
          }
          let unsettled = pending.length;
          await Promise.race([
            Promise.all(pending).then(() => {
              unsettled = 0;
            }),
            settle(2_000),
          ]);
          expect(unsettled).toBe(0);
          expect(maxInFlight).toBeLessThanOrEqual(1);
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
