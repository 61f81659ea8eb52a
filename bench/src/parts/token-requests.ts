import { performance } from 'node:perf_hooks';
import { createClient, LABELS, PEERS, type PeerName } from '../peers.js';
import type { Config, PartResult, Row } from '../result.js';
import { startLoopback } from '../servers.js';
import { quantile, sleep } from '../stats.js';

/** Above this, a peer without single flight would open one socket per caller on each side of loopback. */
const SOCKET_BUDGET = 1_000;
/**
 * A call waited on a token request when it took at least this long and came back with a token no call had
 * returned when it started (a cache hit takes microseconds; a loopback token request milliseconds).
 */
const WAITED_MS = 1;
const CALLERS = 8;

/** N concurrent cold callers: how many token requests reach the server. */
async function stampede(config: Config): Promise<Row[]> {
  const loopback = await startLoopback();
  const rows: Row[] = [];
  try {
    for (const callers of config.quick ? [1, 100] : [1, 100, 1_000, 10_000]) {
      for (const name of PEERS) {
        // A configuration per stampede: a cold source, not one that shares the previous stampede's token.
        const client = createClient(name, loopback.tokenUrl, 30, `stampede-${callers}`);
        if (!client.singleFlight && callers > SOCKET_BUDGET) {
          rows.push({
            measurement: `cold stampede, ${callers.toLocaleString('en')} callers`,
            subject: LABELS[name],
            value: Number.NaN,
            unit: 'requests',
            note: `not run: no single flight, so one request (and socket) per caller — ${callers.toLocaleString('en')}; the fd limit (20,000) would be hit`,
          });
          continue;
        }
        const before = loopback.auth.tokenRequests;
        const settled = await Promise.allSettled(Array.from({ length: callers }, () => client.getToken()));
        const failed = settled.filter((s) => s.status === 'rejected').length;
        const requests = loopback.auth.tokenRequests - before;
        rows.push({
          measurement: `cold stampede, ${callers.toLocaleString('en')} callers`,
          subject: LABELS[name],
          value: requests,
          unit: 'requests',
          ...(name === 'grantkit' && { target: 'exactly 1', pass: requests === 1 && failed === 0 }),
          ...(failed > 0 && { note: `${failed} callers failed` }),
        });
      }
    }
  } finally {
    await loopback.close();
  }
  return rows;
}

interface SteadyRun {
  readonly requests: number;
  /** Token requests less than a quarter lifetime after the previous one: more than one per expiry. */
  readonly duplicates: number;
  readonly latencies: number[];
  readonly waited: number;
  readonly failed: number;
}

/** `CALLERS` loops calling getToken every ~2 ms for `seconds`, tokens living `lifetime` s. */
async function steady(name: PeerName, lifetime: number, seconds: number): Promise<SteadyRun> {
  const loopback = await startLoopback(lifetime);
  try {
    // simple-oauth2's user cache refreshes 10 % of the lifetime early, as a careful user would.
    const client = createClient(name, loopback.tokenUrl, lifetime / 10);
    let latest = await client.accessToken();
    let waited = 0;
    const start = loopback.auth.tokenRequests;
    const fromLog = loopback.auth.requestLog.length;
    const latencies: number[] = [];
    let failed = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const known = latest;
          try {
            const token = await client.accessToken();
            const ms = performance.now() - t0;
            latencies.push(ms);
            if (ms >= WAITED_MS && token !== known) waited++;
            latest = token;
          } catch {
            failed++;
          }
          await sleep(2);
        }
      }),
    );
    const log = loopback.auth.requestLog.slice(fromLog - 1);
    let duplicates = 0;
    for (let i = 1; i < log.length; i++) {
      if ((log[i]?.at ?? 0) - (log[i - 1]?.at ?? 0) < (lifetime * 1000) / 4) duplicates++;
    }
    return {
      requests: loopback.auth.tokenRequests - start,
      duplicates,
      latencies,
      waited,
      failed,
    };
  } finally {
    await loopback.close();
  }
}

async function expiries(config: Config): Promise<{ rows: Row[]; notes: string[] }> {
  const lifetime = config.quick ? 1 : 2;
  const seconds = config.quick ? 1.5 : 10;
  const rows: Row[] = [];
  for (const name of PEERS.filter((n) => n !== 'openid-client')) {
    const base = await steady(name, 3600, config.quick ? 0.5 : seconds / 2);
    const run = await steady(name, lifetime, seconds);
    const p99 = quantile(run.latencies, 0.99);
    const baseP99 = quantile(base.latencies, 0.99);
    const grantkit = name === 'grantkit';
    const label = LABELS[name];
    rows.push(
      {
        measurement: `token requests, ${seconds} s of ${lifetime} s tokens`,
        subject: label,
        value: run.requests,
        unit: 'requests',
        note: `${(seconds / lifetime).toLocaleString('en', { maximumFractionDigits: 1 })} lifetimes elapsed; ${run.duplicates} duplicate (within ¼ lifetime of the previous)`,
        ...(grantkit && {
          target: '1 per refresh, 0 duplicates',
          pass: run.duplicates === 0 && run.requests > 0,
        }),
      },
      {
        measurement: 'calls that waited on a token request',
        subject: label,
        value: run.waited,
        unit: 'calls',
        note: `of ${run.latencies.length.toLocaleString('en')}; ${base.waited} in the run without expiry${run.failed ? `; ${run.failed} failed` : ''}`,
        ...(grantkit && {
          target: '0 (beyond the no-expiry run)',
          pass: run.waited <= base.waited && run.failed === 0,
        }),
      },
      {
        measurement: 'call latency p99 across expiries',
        subject: label,
        value: p99 * 1000,
        unit: 'µs',
        ratio: p99 / baseP99,
        note: `no-expiry run p99 ${(baseP99 * 1000).toFixed(0)} µs; max ${(Math.max(...run.latencies) * 1000).toFixed(0)} µs`,
      },
    );
  }
  return {
    rows,
    notes: [
      `Expiry run: ${CALLERS} concurrent caller loops, each calling getToken then sleeping 2 ms, for ${seconds} s with the fake server issuing ${lifetime} s tokens (\`auth.setLifetime\`); the same loops against 3600 s tokens give the no-expiry baseline. A call "waited" when it took ≥ ${WAITED_MS} ms and returned a token that no call had returned when it started (a cache hit takes microseconds, a loopback token request milliseconds; the servers share the process, so a latency threshold alone would also count calls delayed by the server signing a JWT). Latency ratio = p99 with expiries / p99 without.`,
      'Grantkit refreshes ahead (at 75–87.5 % of a short lifetime, jittered), so it makes more requests than lifetimes elapsed but no caller waits; a library without refresh-ahead makes one per lifetime and its callers wait at every expiry. simple-oauth2 + user cache has no single flight: every caller that sees the expired token requests one.',
      'openid-client direct is left out of the expiry run: it makes one request per call.',
    ],
  };
}

/** Part 4: token requests under a cold stampede and across several expiries. */
export async function tokenRequests(config: Config): Promise<PartResult> {
  const cold = await stampede(config);
  const { rows, notes } = await expiries(config);
  return {
    id: 'token-requests',
    title: '4. Token requests — cold stampede and expiries',
    rows: [...cold, ...rows],
    notes: [
      'Cold stampede: a fresh client per library, N calls started at once, `Promise.allSettled`; value = requests counted by the fake authorization server.',
      ...notes,
    ],
  };
}
