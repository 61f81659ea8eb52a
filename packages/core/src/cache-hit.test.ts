import { createAuthServer, createManualClock } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientCredentials } from './source.js';

// The cache-hit fast path (serve effects preallocated per held token, one settled promise per token) must
// still hand out the new token after a refresh and after an invalidation.
let auth: Awaited<ReturnType<typeof createAuthServer>>;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 60 } } } },
  });
  server = await listen(auth.app);
});
afterAll(() => server.close());

it('cache hits share one settled promise per token, and a refreshed or invalidated token replaces it', async () => {
  const clock = createManualClock();
  const source = clientCredentials({
    tokenUrl: auth.tokenUrl(server.url, 'demo'),
    clientId: 'svc',
    clientSecret: 's3cret',
    allowInsecureRequests: true,
    clock,
  });
  const first = await source.getToken();
  const hit = source.getToken();
  expect(source.getToken()).toBe(hit);
  expect(await hit).toBe(first);

  clock.advance(50_000); // inside the refresh-ahead window: served at once, refreshed in the background
  expect(await source.getToken()).toBe(first);
  // The background refresh is a real request to the loopback server: wait for it, and fail if it never lands.
  await expect
    .poll(async () => (await source.getToken()) !== first, { timeout: 5_000, interval: 5 })
    .toBe(true);
  const refreshed = await source.getToken();
  expect(refreshed.accessToken).not.toBe(first.accessToken);
  expect(auth.tokenRequests).toBe(2);

  source.invalidate(refreshed.accessToken);
  const replaced = await source.getToken();
  expect(replaced.accessToken).not.toBe(refreshed.accessToken);
  expect(await source.getToken()).toBe(replaced);
  expect(auth.tokenRequests).toBe(3);
});
