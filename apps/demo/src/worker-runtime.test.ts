import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoachingApi } from './coaching-api.js';
import { type EmbeddedAuth, startEmbeddedAuth } from './embedded-auth.js';
import { clientIdOf, DEMO_DOMAIN, DEMO_SECRET } from './realm.js';
import { type RunningWorker, startWorker } from './worker-runtime.js';

// The bundle `pnpm build` makes of src/worker/worker.ts (turbo builds before it tests).
const BUNDLE = new URL('../dist/worker.js', import.meta.url);
const CLIENT_ID = clientIdOf('worker');

describe('the demo worker: two isolates in workerd, one Durable Object store', () => {
  let embedded: EmbeddedAuth;
  let api: RunningServer;
  let worker: RunningWorker;

  beforeAll(async () => {
    embedded = await startEmbeddedAuth(60);
    api = await listen(createCoachingApi(embedded.auth, DEMO_DOMAIN));
    worker = await startWorker(
      {
        VERINT_DOMAIN: DEMO_DOMAIN,
        AUTH_ORIGIN: embedded.origin,
        CLIENT_ID,
        CLIENT_SECRET: DEMO_SECRET,
        COACHING_API: api.url,
      },
      BUNDLE,
    );
  });

  afterAll(async () => {
    await worker?.close();
    await Promise.all([api?.close(), embedded?.server.close()]);
  });

  it('serves each isolate on its own loopback URL', () => {
    const [first, second] = worker.isolates;
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(second.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(second.url).not.toBe(first.url);
  });

  it('makes one token request for both isolates: the second takes the first one’s token from the store', async () => {
    const [first, second] = worker.isolates;
    const cold = await fetch(`${first.url}/coaching/v1/sessions`);
    expect(cold.status).toBe(200);
    const statuses = await Promise.all(
      [second, first, second, first].map(
        async ({ url }) => (await fetch(`${url}/coaching/v1/agents`)).status,
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);

    expect(embedded.auth.tokenRequestsFor(CLIENT_ID)).toBe(1);
    const origins = async (url: string) => (await fetch(`${url}/__demo/store`)).json();
    expect(await origins(first.url)).toEqual({ requested: 1, fromStore: 0 });
    expect(await origins(second.url)).toEqual({ requested: 0, fromStore: 1 });
    const state = (await (await fetch(`${second.url}/__demo/state`)).json()) as { status: string };
    expect(state.status).toBe('valid');
  });
});
