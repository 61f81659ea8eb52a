import { type EchoResponse, type Servers, startServers } from '@grantkit/test-servers';
import { type ProxySetup, proxyEdgeSuite } from '@grantkit/test-servers/proxy-suite';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authProxy } from './proxy.js';

/** A Fastify app with the proxy registered at `prefix`, on a loopback port. */
async function proxyApp(prefix: string, setup: Omit<ProxySetup, 'stripPrefix'>) {
  const app = Fastify();
  await app.register(authProxy, { prefix, ...setup });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, port: Number(new URL(url).port), close: () => app.close() };
}

proxyEdgeSuite('fastify authProxy', ({ stripPrefix, ...setup }) => proxyApp(stripPrefix, setup));

describe('fastify authProxy: bodies and streams', () => {
  let s: Servers;
  let proxy: Awaited<ReturnType<typeof proxyApp>>;
  beforeAll(async () => {
    s = await startServers();
    proxy = await proxyApp('/coaching', { source: s.source(), target: s.apiUrl });
  });
  afterAll(async () => {
    await proxy.close();
    await s.close();
  });
  beforeEach(() => {
    s.auth.reset();
    s.api.reset();
  });

  it.each([
    ['application/json', '{"a":1}'],
    ['text/csv', 'a,b\n1,2\n'],
    ['application/xml', '<note>raw</note>'],
    ['application/x-custom', '<x/>'],
  ])('forwards a %s body as it is, with the token and without the caller credentials', async (type, body) => {
    const response = await fetch(`${proxy.url}/coaching/echo/notes?x=1`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: 'Basic caller', cookie: 'session=1' },
      body,
    });
    const echoed = (await response.json()) as EchoResponse;
    expect(echoed).toMatchObject({
      method: 'POST',
      path: '/echo/notes',
      query: { x: '1' },
      body,
      contentType: type,
    });
    expect(echoed.clientId).toBe('svc');
    expect(echoed.headers['cookie']).toBeUndefined();
  });

  it('streams a request body upstream and the answer back', async () => {
    const chunks = ['one,', 'two,', 'three'];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const echoed = (await (
      await fetch(`${proxy.url}/coaching/echo/up`, {
        method: 'PUT',
        body,
        duplex: 'half',
        headers: { 'content-type': 'text/plain' },
      } as RequestInit)
    ).json()) as EchoResponse;
    expect(echoed.body).toBe('one,two,three');
    const down = await fetch(`${proxy.url}/coaching/stream`);
    expect(down.headers.get('set-cookie')).toBeNull();
    expect(await down.text()).toBe('chunk1\nchunk2\nchunk3\n');
  });

  it('replays a revoked token once with the body intact', async () => {
    const source = s.source();
    s.auth.revoke((await source.getToken()).accessToken);
    const revoked = await proxyApp('/r', { source, target: s.apiUrl });
    const echoed = (await (
      await fetch(`${revoked.url}/r/echo`, {
        method: 'POST',
        body: 'again',
        headers: { 'content-type': 'text/plain' },
      })
    ).json()) as EchoResponse;
    await revoked.close();
    expect(echoed.body).toBe('again');
    expect([s.api.requests, s.auth.tokenRequests]).toEqual([2, 2]);
  });

  it('answers a token failure with a 502 problem that does not carry the secret', async () => {
    const failing = await proxyApp('/f', { source: s.source('svc', 'wrong-secret-value'), target: s.apiUrl });
    const response = await fetch(`${failing.url}/f/echo`);
    const text = await response.text();
    await failing.close();
    expect(response.status).toBe(502);
    expect(JSON.parse(text)).toMatchObject({ code: 'GRANTKIT_OAUTH_ERROR' });
    expect(text).not.toContain('wrong-secret-value');
  });
});
