import { describe, expect, it } from 'vitest';
import { clockOf, monotonicClock } from './clock.js';
import type { Clock } from './index.js';
import { eventually, outcome, settle, useAuthServer } from './test/fixture.js';

const f = useAuthServer();

/**
 * The default clock over a wall clock a test can step and a monotonic reading it can advance (the
 * manual clock, whose sleeps stand in for the runtime's timers).
 */
function steppedHost(): { clock: Clock; stepWall(ms: number): void; wall(): number } {
  let wall = f.clock.now();
  const clock = {
    now: monotonicClock(
      () => wall,
      () => f.clock.now(),
    ).now,
    sleep: f.clock.sleep,
  };
  return {
    clock,
    stepWall: (ms) => {
      wall += ms;
    },
    wall: () => wall,
  };
}

describe('monotonic time', () => {
  it('is epoch milliseconds that a step of the system clock does not move', () => {
    let wall = 1_700_000_000_000;
    let elapsed = 5_000;
    const clock = monotonicClock(
      () => wall,
      () => elapsed,
    );
    expect(clock.now()).toBe(1_700_000_000_000);
    wall -= 3_600_000; // stepped back an hour
    elapsed += 10;
    expect(clock.now()).toBe(1_700_000_000_010);
    wall += 7_200_000; // and forward two
    expect(clock.now()).toBe(1_700_000_000_010);
  });

  it('is the default, and stays comparable to Date.now()', async () => {
    const source = f.source({ clock: undefined });
    const before = Date.now();
    const token = await source.getToken();
    expect(token.expiresAt - 3_600_000).toBeGreaterThanOrEqual(before - 50);
    expect(token.expiresAt - 3_600_000).toBeLessThanOrEqual(Date.now() + 50);
  });

  it('while holding a token, a step of the system clock never yields an expired token', async () => {
    const host = steppedHost();
    const source = f.source({ clock: host.clock, refreshAheadMs: 0, expirySkewMs: 30_000 });
    const first = await source.getToken();
    host.stepWall(-3_600_000);
    f.clock.advance(3_600_000 - 30_001); // real time passes: just usable
    expect(await source.getToken()).toBe(first);
    host.stepWall(+7_200_000);
    expect(await source.getToken()).toBe(first); // a forward step does not expire it early either
    f.clock.advance(1); // now it is due: a new token, not the expired one
    const second = await source.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('a clock stepped back one hour while in backoff recovers within one backoff interval of the endpoint coming back', async () => {
    // An injected clock that is not monotonic (the old default, Date.now()): the machine copes anyway.
    const source = f.source({
      retry: { attempts: 1, baseDelayMs: 500, maxDelayMs: 4_000 },
      random: () => 0.99,
    });
    f.auth.faults.fail(1, { status: 503 });
    expect((await outcome(source.getToken())).error).toMatchObject({ endpointStatus: 503 });
    expect(source.state.status).toBe('backoff');
    f.clock.set(f.clock.now() - 3_600_000); // stepped back, and the endpoint is back
    expect((await source.getToken()).accessToken).toBeTruthy();
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('with the default clock, a step back in backoff changes nothing: the retry comes after the backoff', async () => {
    const host = steppedHost();
    const source = f.source({
      clock: host.clock,
      retry: { attempts: 1, baseDelayMs: 500, maxDelayMs: 4_000 },
      random: () => 0.99,
    });
    f.auth.faults.fail(1, { status: 503 });
    await outcome(source.getToken());
    const { retryAt } = source.state;
    host.stepWall(-3_600_000);
    expect((await outcome(source.getToken())).error).toMatchObject({ endpointStatus: 503 }); // still backing off
    f.clock.set(retryAt ?? 0);
    expect((await source.getToken()).accessToken).toBeTruthy();
    expect(f.auth.tokenRequests).toBe(2);
  });
});

describe('scheduled retries', () => {
  it('a retry timer that fires early no longer strands callers until the watchdog', async () => {
    // Timers and clocks round differently: this host's timers fire 1 ms before the clock reaches them.
    const early: Clock = { now: () => f.clock.now(), sleep: (ms, signal) => f.clock.sleep(ms - 1, signal) };
    f.auth.faults.fail(1, { status: 503 });
    const source = f.source({
      clock: early,
      timeoutMs: 2_000,
      retry: { baseDelayMs: 20, maxDelayMs: 20 },
      random: () => 0.99,
    });
    const callers = Array.from({ length: 60 }, () => outcome(source.getToken()));
    await eventually(() => source.state.status === 'backoff');
    const { retryAt = 0 } = source.state;
    f.clock.set(retryAt - 1); // the timer fires; the clock reads just short of retryAt
    await eventually(() => f.auth.tokenRequests === 2);
    const results = await Promise.all(callers);
    expect(results.every((r) => r.value?.accessToken)).toBe(true);
    expect(f.clock.now()).toBeLessThan(retryAt); // nobody waited for the watchdog (timeoutMs + 1 s)
    await settle(0);
  });
});

describe('the runtime clock', () => {
  it("workerd's performance.now() (time origin 0: 0 at load, epoch time in a request) is read as it is", () => {
    let reading = 0; // a Worker's module loads
    const clock = clockOf({ timeOrigin: 0, now: () => reading });
    reading = Date.now(); // a request
    expect(clock.now()).toBe(reading);
  });

  it('elsewhere performance.now() counts from the time origin: anchored to the wall clock once', () => {
    let reading = 5_000;
    const clock = clockOf({ timeOrigin: 1_700_000_000_000, now: () => reading });
    const first = clock.now();
    expect(Math.abs(first - Date.now())).toBeLessThan(1_000);
    reading += 250;
    expect(clock.now() - first).toBe(250);
  });

  it('without performance, the wall clock', () => {
    expect(Math.abs(clockOf(undefined).now() - Date.now())).toBeLessThan(1_000);
  });
});
