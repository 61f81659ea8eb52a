import { type Servers, startServers } from '@grantkit/test-servers';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authMiddleware } from './auth-middleware.js';
import type { paths } from './test/coaching-api.gen.js';

let s: Servers;
beforeAll(async () => {
  s = await startServers();
});
afterAll(() => s.close());

it('a client typed from the Coaching API document carries the token, and replays a typed JSON body after a 401', async () => {
  const source = s.source();
  const client = createClient<paths>({ baseUrl: s.apiUrl });
  client.use(authMiddleware(source, { origins: [s.apiUrl] }));

  const read = await client.GET('/echo/sessions/{sessionId}', {
    params: { path: { sessionId: '7' }, query: { view: 'full' } },
  });
  expect(read.data).toMatchObject({ path: '/echo/sessions/7', query: { view: 'full' }, clientId: 'svc' });

  s.auth.revoke((await source.getToken()).accessToken);
  const note = await client.POST('/echo/sessions/{sessionId}', {
    params: { path: { sessionId: '7' } },
    body: { text: 'well handled', score: 4 },
  });
  expect(note.response.status).toBe(200);
  expect(JSON.parse(note.data?.body ?? '')).toEqual({ text: 'well handled', score: 4 });
  expect(note.data?.tokenId).not.toBe(read.data?.tokenId);
  expect(s.auth.tokenRequests).toBe(2);
  expect([s.api.requests, s.api.unauthorized]).toEqual([3, 1]);
});
