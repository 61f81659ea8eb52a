import { type Servers, startServers } from '@grantkit/test-servers';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authInterceptor } from './auth-interceptor.js';

let s: Servers;
const original = getGlobalDispatcher();
beforeAll(async () => {
  s = await startServers();
});
afterAll(async () => {
  setGlobalDispatcher(original);
  await s.close();
});

it("never sends Grantkit's own discovery and token requests through the interceptor, with every origin listed and client_secret_post", async () => {
  const issuer = s.auth.issuer(s.authServer.url, 'demo');
  const source = s.source('svc', undefined, {
    tokenUrl: undefined,
    issuer,
    clientAuth: 'client_secret_post',
  });
  // The source's own requests use the global fetch, so they reach this very interceptor: without the
  // bypass, the token request would carry a Bearer header and wait for the token it is fetching.
  setGlobalDispatcher(new Agent().compose(authInterceptor(source, { origins: '*' })));
  const seen = (await (await fetch(`${s.openUrl}/x`)).json()) as { authorization: string };
  expect(seen.authorization).toMatch(/^Bearer ey/);
  expect(s.auth.requestLog).toMatchObject([{ clientId: 'svc', auth: 'post', status: 200 }]);
  const echoed = (await (await fetch(`${s.apiUrl}/echo`)).json()) as { tokenId?: string };
  expect(echoed.tokenId).toBeTypeOf('string');
  expect(s.auth.tokenRequests).toBe(1);
});
