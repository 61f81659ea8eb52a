import { type EchoResponse, useServers } from '@grantkit/test-servers';
import { Agent, fetch as undiciFetch } from 'undici';
import { expect, it } from 'vitest';
import { authInterceptor } from './auth-interceptor.js';

const s = useServers();

const stream = (text: string) => new Blob([text]).stream();

it('buffers a stream body up to maxReplayBodyBytes and replays it; a longer one is streamed and its 401 returned', async () => {
  const source = s.source();
  s.auth.revoke((await source.getToken()).accessToken);
  const dispatcher = new Agent().compose(
    authInterceptor(source, { origins: [s.apiUrl], maxReplayBodyBytes: 8 }),
  );
  const send = (body: string) =>
    undiciFetch(`${s.apiUrl}/echo`, {
      method: 'POST',
      body: stream(body) as never,
      duplex: 'half',
      dispatcher,
    });

  const short = await send('12345678');
  expect(short.status).toBe(200);
  expect(((await short.json()) as EchoResponse).body).toBe('12345678');
  expect([s.api.requests, s.auth.tokenRequests]).toEqual([2, 2]);

  s.auth.revoke((await source.getToken()).accessToken);
  const long = await send('123456789');
  expect(long.status).toBe(401);
  expect(s.api.requests).toBe(3);
  // The long body went upstream whole on its one attempt; the token was not invalidated without a replay.
  expect(s.api.requestLog.at(-1)?.status).toBe(401);
  expect(s.auth.tokenRequests).toBe(2);
});

it('streams a body longer than maxReplayBodyBytes upstream whole, the buffered head first', async () => {
  const dispatcher = new Agent().compose(
    authInterceptor(s.source(), { origins: [s.apiUrl], maxReplayBodyBytes: 8 }),
  );
  const text = 'a'.repeat(5000).concat('z');
  const response = await undiciFetch(`${s.apiUrl}/echo`, {
    method: 'POST',
    body: stream(text) as never,
    duplex: 'half',
    dispatcher,
  });
  expect(((await response.json()) as EchoResponse).body).toBe(text);
});
