import { type AuthServer, createAuthServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Burst, startWorkerFleet, type WorkerFleet } from './test/fleet.js';

// Four Workers, each its own isolate with its own memory, in one workerd (Miniflare), all bound to one
// Durable Object namespace. A fresh auth server per test gives a fresh token URL, so a fresh cache key.
const WORKERS = 4;
const CALLERS = 100;

let fleet: WorkerFleet;
let auth: AuthServer;
let authServer: RunningServer;

beforeAll(async () => {
  fleet = await startWorkerFleet(WORKERS);
});
afterAll(async () => {
  await fleet?.dispose();
});
beforeEach(async () => {
  auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600 } } } },
  });
  authServer = await listen(auth.app);
});
afterEach(async () => {
  auth.faults.clear();
  await authServer.close();
});

const tokenUrl = (): string => auth.tokenUrl(authServer.url, 'demo');
const everyWorker = (callers: number, query: Record<string, string> = {}): Promise<Burst[]> =>
  Promise.all(
    Array.from({ length: WORKERS }, (_, index) =>
      fleet.burst(index, callers, { tokenUrl: tokenUrl(), ...query }),
    ),
  );
const distinct = (bursts: readonly Burst[]): Set<string> => new Set(bursts.flatMap((burst) => burst.tokens));
/** The failures, with what they were, so that a failing expectation says what went wrong. */
const failures = (bursts: readonly Burst[]): { count: number; errors: string[] } => ({
  count: bursts.reduce((sum, burst) => sum + burst.failures, 0),
  errors: [...new Set(bursts.flatMap((burst) => burst.errors))],
});
const none = { count: 0, errors: [] };
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How soon a released lock must be free: far within its ttl, which with a store is twice the source's
 * timeout (5 s here) plus 4 s of store bounds and grace, so a free lock was given back, not lapsed.
 */
const RELEASED_WITHIN_MS = 2_000;

/**
 * The holder gave the lock back once its work was done: the lock is free again well within its ttl, seen
 * from every Worker. A release that was dropped (fire-and-forget, cancelled with the request or its
 * waitUntil) would keep it held for the whole ttl.
 */
async function expectLockReleased(): Promise<void> {
  for (let index = 0; index < WORKERS; index += 1) {
    await expect
      .poll(() => fleet.lockFree(index, { tokenUrl: tokenUrl() }), {
        timeout: RELEASED_WITHIN_MS,
        interval: 100,
      })
      .toBe(true);
  }
}

describe(`${WORKERS} Workers on one Durable Object namespace, inside workerd`, () => {
  it(`make one token request for ${WORKERS} × ${CALLERS} concurrent cold requests`, async () => {
    const bursts = await everyWorker(CALLERS);
    expect(failures(bursts)).toEqual(none);
    expect(distinct(bursts).size).toBe(1);
    expect(auth.tokenRequests).toBe(1);
    await expectLockReleased();
  });

  it('make one refresh for the fleet across an expiry (refresh ahead in waitUntil)', async () => {
    // 3 s tokens, refreshed ahead in the background: under load from every Worker, the fleet sees the
    // cold token, then exactly one refreshed token.
    auth.setLifetime('svc', 3);
    const bursts = await everyWorker(CALLERS);
    expect(auth.tokenRequests).toBe(1);
    while (distinct(bursts).size < 2) {
      bursts.push(...(await everyWorker(10)));
      await pause(50);
    }
    bursts.push(...(await everyWorker(10))); // one more round, to catch a straggling request
    expect(failures(bursts)).toEqual(none);
    expect(distinct(bursts).size).toBe(2);
    expect(auth.tokenRequests).toBe(2);
    await expectLockReleased();
  }, 30_000);

  it('give the others a token within the lock ttl when the lock holder is aborted mid-request', async () => {
    const timeoutMs = 1_500; // the lock's ttl is the token request timeout plus a second
    const query = { timeoutMs: String(timeoutMs) };
    auth.faults.hang(1); // the holder's token request never answers...
    const holder = new AbortController();
    const aborted = fleet.burst(0, 1, { tokenUrl: tokenUrl(), ...query }, holder.signal);
    await expect.poll(() => auth.tokenRequests, { interval: 10, timeout: 10_000 }).toBe(1);
    const survivors = Promise.all(
      Array.from({ length: WORKERS - 1 }, (_, index) =>
        fleet.burst(index + 1, CALLERS, { tokenUrl: tokenUrl(), ...query }),
      ),
    );
    holder.abort(); // ...and its request is cancelled while it holds the lock
    const abortedAt = Date.now();
    const bursts = await survivors;
    const waited = Date.now() - abortedAt;
    expect((await aborted).failures).toBe(1);
    expect(failures(bursts)).toEqual(none);
    expect(distinct(bursts).size).toBe(1);
    // One survivor took the lapsed lock over; the others waited for its token instead of requesting their own.
    expect(auth.tokenRequests).toBe(2);
    expect(waited).toBeLessThan(timeoutMs * 3 + 5_000); // generous: proves only that the wait is bounded
  }, 30_000);

  it('keep no token in clear in Durable Object storage', async () => {
    auth.setLifetime('svc', 3600);
    const [burst] = await everyWorker(5);
    const token = burst?.tokens[0] ?? '';
    expect(token.split('.')).toHaveLength(3);
    await expect.poll(() => fleet.storageBytes()).toMatch(/gk1\.[\w-]{8}\.[\w-]{16}\.[\w-]+/);
    const stored = await fleet.storageBytes();
    for (const part of token.split('.')) expect(stored).not.toContain(part);
    expect(stored).not.toContain('s3cret');
  });
});
