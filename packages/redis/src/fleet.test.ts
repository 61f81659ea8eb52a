import { type AuthServer, createAuthServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { createClient } from 'redis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type Fleet, startFleet } from './test/fleet.js';
import type { FleetConfig } from './test/fleet-messages.js';
import { type RedisServer, startRedisServer } from './test/redis-server.js';

const WORKERS = 4;
const CALLERS = 250;

let auth: AuthServer;
let authServer: RunningServer;
let fleet: Fleet | undefined;
let run = 0;

beforeEach(async () => {
  auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600, scopes: ['read'] } } } },
  });
  authServer = await listen(auth.app);
});

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  auth.faults.clear();
  await authServer.close();
});

function config(overrides: Partial<FleetConfig> = {}): FleetConfig {
  return {
    tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
    redisUrl: inject('redisUrl'),
    prefix: `fleet${process.pid}-${++run}:`,
    timeoutMs: 2_000,
    ...overrides,
  };
}

const distinct = (bursts: ReadonlyArray<{ tokens: readonly string[] }>): Set<string> =>
  new Set(bursts.flatMap((burst) => burst.tokens));

describe(`a fleet of ${WORKERS} processes on one Redis`, () => {
  it(`makes one token request for ${WORKERS} × ${CALLERS} concurrent cold callers`, async () => {
    fleet = await startFleet(inject('fleetWorker'), WORKERS, config());
    const bursts = await fleet.burst(CALLERS);
    expect(bursts.map((burst) => burst.failures)).toEqual([0, 0, 0, 0]);
    expect(distinct(bursts).size).toBe(1);
    expect(auth.tokenRequests).toBe(1);
  });

  it('makes one token request per expiry, for three expiries', async () => {
    // Criterion: 2 s tokens, renewed on demand at expiry (refresh-ahead off, so every process wants the
    // new token at the same moment: the hardest case for the lock). Under continuous load from all four
    // processes, from the cold token through three expiries, the fleet sees exactly four tokens and the
    // auth server exactly four requests: the cold one, then one per expiry — 3 requests for 3 expiries.
    auth.setLifetime('svc', 2);
    fleet = await startFleet(inject('fleetWorker'), WORKERS, config({ refreshAheadMs: 0 }));
    const bursts = [...(await fleet.burst(CALLERS))];
    expect(auth.tokenRequests).toBe(1);
    while (distinct(bursts).size < 4) {
      bursts.push(...(await fleet.burst(25)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    bursts.push(...(await fleet.burst(25))); // one more round, to catch a straggling request
    expect(bursts.reduce((sum, burst) => sum + burst.failures, 0)).toBe(0);
    expect(distinct(bursts).size).toBe(4);
    expect(auth.tokenRequests - 1).toBe(3);
  }, 60_000);

  it('recovers within the bounded wait when the lock holder dies mid-request', async () => {
    const timeoutMs = 1_500; // the source's token request timeout bounds its wait for a peer
    fleet = await startFleet(inject('fleetWorker'), WORKERS, config({ timeoutMs }));
    auth.faults.hang(1); // the holder's request never answers...
    const holder = Promise.race(fleet.workers.map((worker) => worker.nextTokenRequest().then(() => worker)));
    const bursts = fleet.workers.map((worker) => worker.burst(CALLERS));
    const dead = await holder;
    dead.kill(); // ...and the holder dies holding the lock
    const started = Date.now();
    const survivors = await Promise.all(
      fleet.workers.filter((worker) => worker !== dead).map((worker) => bursts[worker.index]),
    );
    const waited = Date.now() - started;
    expect(survivors.map((burst) => burst?.failures)).toEqual([0, 0, 0]);
    // Each survivor waited at most its bounded wait for the dead peer, then requested a token itself.
    expect(auth.tokenRequests).toBeGreaterThanOrEqual(2);
    expect(auth.tokenRequests).toBeLessThanOrEqual(WORKERS);
    expect(waited).toBeLessThan(timeoutMs * 3 + 5_000); // generous: only proves the wait is bounded
  }, 60_000);
});

describe('a fleet whose Redis stops mid-run', () => {
  let redis: RedisServer | undefined;
  afterEach(async () => {
    await redis?.stop();
  });

  it('keeps serving every caller and reports store-error events', async () => {
    redis = await startRedisServer();
    auth.setLifetime('svc', 2);
    fleet = await startFleet(inject('fleetWorker'), WORKERS, config({ redisUrl: redis.url }));
    const t0 = Date.now();
    const before = await fleet.burst(50);
    console.log('first burst', Date.now() - t0);
    expect(distinct(before).size).toBe(1);
    expect(auth.tokenRequests).toBe(1);

    await redis.stop();
    // Past the token's lifetime: every process now needs a new token, and Redis is gone.
    const after = [];
    const stopped = Date.now();
    while (Date.now() - stopped < 2_500) {
      const t1 = Date.now();
      after.push(...(await fleet.burst(50)));
      console.log('burst', Date.now() - t1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...before, ...after].reduce((sum, burst) => sum + burst.failures, 0)).toBe(0);
    expect(auth.tokenRequests).toBeGreaterThan(1); // each process now fetches its own
    for (const worker of fleet.workers) expect(worker.storeErrors.length).toBeGreaterThan(0);
    const operations = new Set(fleet.workers.flatMap((worker) => worker.storeErrors.map((e) => e.operation)));
    expect(operations).toContain('get');
  }, 60_000);
});
