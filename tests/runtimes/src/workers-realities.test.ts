import { readFile } from 'node:fs/promises';
import { type AuthServer, createAuthServer, createResourceServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundle, runtimeConditions } from './bundle.js';

interface Answer {
  readonly tokenId?: string;
  readonly error?: string;
  readonly waitUntilCalls: number;
  readonly status?: string;
}

const SECRET = 's3cret';
const clients = ['cached', 'concurrent', 'refresh', 'abandoned', 'cancelled'] as const;

describe('Workers realities, inside workerd', () => {
  let auth: AuthServer;
  let authServer: RunningServer;
  let apiServer: RunningServer;
  let worker: Miniflare;

  const call = async (query: Record<string, string | number>, signal?: AbortSignal): Promise<Answer> => {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const response = await worker.dispatchFetch(`http://worker/?${search}`, signal ? { signal } : {});
    return (await response.json()) as Answer;
  };

  beforeAll(async () => {
    auth = await createAuthServer({
      realms: { acme: { clients: Object.fromEntries(clients.map((id) => [id, { secret: SECRET }])) } },
    });
    authServer = await listen(auth.app);
    apiServer = await listen(createResourceServer({ auth, realm: 'acme' }).app);
    const script = await readFile(
      await bundle({
        entry: 'entries/workers-realities.ts',
        conditions: runtimeConditions.workerd,
        outfile: 'workers-realities.mjs',
      }),
      'utf8',
    );
    worker = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2026-04-01',
      bindings: {
        TOKEN_URL: auth.tokenUrl(authServer.url, 'acme'),
        API_URL: `${apiServer.url}/echo`,
        CLIENT_SECRET: SECRET,
      },
    });
    await worker.ready;
  });

  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([authServer?.close(), apiServer?.close()]);
  });

  it('module-scope caching: N sequential requests to one isolate make 1 token request', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await call({ client: 'cached' }));
    expect(new Set(answers.map((a) => a.tokenId)).size).toBe(1);
    expect(auth.tokenRequestsFor('cached')).toBe(1);
  });

  it('N concurrent requests share 1 token request, and waiters settled from another request context wake (regression: hung when the settling request touched their watchdog)', async () => {
    auth.faults.latency(200);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => call({ client: 'concurrent' })));
      expect(answers.every((a) => a.tokenId !== undefined && a.tokenId === answers[0]?.tokenId)).toBe(true);
      expect(auth.tokenRequestsFor('concurrent')).toBe(1);
    } finally {
      auth.faults.clear();
    }
  });

  it('background refresh goes through ctx.waitUntil and outlives the request that started it', async () => {
    const first = await call({ client: 'refresh' });
    expect(first.waitUntilCalls).toBe(1); // the cold request: its store write goes to waitUntil too
    // Tokens live 300 s: at +240 s the token is in its refresh-ahead window but still served.
    const inWindow = await call({ client: 'refresh', advance: 240_000 });
    expect(inWindow).toMatchObject({ tokenId: first.tokenId, waitUntilCalls: 1 });
    // The response is out; the refresh handed to waitUntil still completes.
    await vi.waitFor(() => expect(auth.tokenRequestsFor('refresh')).toBe(2), { timeout: 5_000 });
    await vi.waitFor(async () => {
      const after = await call({ client: 'refresh' });
      expect(after.tokenId).not.toBe(first.tokenId);
      expect(after.waitUntilCalls).toBe(0);
    });
  });

  it('a token request left by a request that finished never leaves a later request hanging', async () => {
    auth.faults.hang(1);
    // Request 1 starts the token request, gives up waiting after 100 ms and finishes with a 504.
    const abandoned = await call({ client: 'abandoned', timeoutMs: 300, waitMs: 100 });
    expect(abandoned.error).toBe('TimeoutError');
    // Request 2 must not hang on request 1's token request: it gets a token of its own.
    const later = await call({ client: 'abandoned' });
    expect(later.tokenId).toBeDefined();
    expect(auth.tokenRequestsFor('abandoned')).toBe(2);
  });

  it('a token request left by a cancelled request never leaves a later request hanging', async () => {
    auth.faults.hang(1);
    const client = new AbortController();
    const cancelled = call({ client: 'cancelled', timeoutMs: 300 }, client.signal);
    await vi.waitFor(() => expect(auth.tokenRequestsFor('cancelled')).toBe(1));
    client.abort();
    await expect(cancelled).rejects.toThrow();
    const later = await call({ client: 'cancelled' });
    expect(later.tokenId).toBeDefined();
    expect(auth.tokenRequestsFor('cancelled')).toBe(2);
  });
});
