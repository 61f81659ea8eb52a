import type { EchoResponse, Servers } from '@grantkit/test-servers';
import { startServers } from '@grantkit/test-servers';
import { createManualClock } from '@grantkit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authClient } from './auth-client.js';

let s: Servers;
beforeAll(async () => {
  s = await startServers();
});
afterAll(() => s.close());

it('binds one source to a fetch and a getToken that share the token and the waitUntil', async () => {
  const handed: Promise<unknown>[] = [];
  const clock = createManualClock();
  const source = s.source('svc', undefined, { random: () => 0, clock });
  const client = authClient(source, { origins: [s.apiUrl], waitUntil: (p) => handed.push(p) });
  const token = await client.getToken();
  const echo = (await (await client.fetch(`${s.apiUrl}/echo`)).json()) as EchoResponse;
  expect(echo.clientId).toBe('svc');
  expect(s.auth.tokenRequestsFor('svc')).toBe(1);
  expect(client.source).toBe(source);
  expect(token.tokenType).toBe('Bearer');
  expect(handed).toHaveLength(1); // the cold request's store write and lock release
  await handed[0];
  handed.length = 0;
  // In the refresh window the background refresh goes to waitUntil, and the caller gets the token at once.
  clock.set(source.state.refreshAt ?? 0);
  expect(await client.getToken()).toBe(token);
  expect(handed).toHaveLength(1);
  await handed[0];
  expect(s.auth.tokenRequestsFor('svc')).toBe(2);
});
