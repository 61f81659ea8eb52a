import type { TokenSource } from '@grantkit/core';
import { type Servers, startServers } from '@grantkit/test-servers';
import { proxyEdgeSuite, rawRequest } from '@grantkit/test-servers/proxy-suite';
import type { EchoResponse } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authProxy } from './index.js';

proxyEdgeSuite('authProxy (Hono)', async (setup) => {
  const { stripPrefix, ...options } = setup;
  return listen(new Hono().all(`${stripPrefix}/*`, authProxy({ ...options, stripPrefix })));
});

let s: Servers;
let proxy: RunningServer;
let app: Hono;
let source: TokenSource;
beforeAll(async () => {
  s = await startServers();
  source = s.source();
  app = new Hono();
  app.all('/coaching/*', authProxy({ source, target: `${s.apiServer.url}/echo`, stripPrefix: '/coaching' }));
  app.all(
    '/small/*',
    authProxy({ source, target: `${s.apiServer.url}/echo`, stripPrefix: '/small', maxReplayBodyBytes: 8 }),
  );
  app.all('/raw/*', authProxy({ source: s.source(), target: s.apiServer.url, stripPrefix: '/raw' }));
  proxy = await listen(app);
});
afterAll(async () => {
  await proxy.close();
  await s.close();
});
beforeEach(() => {
  s.auth.reset();
  s.api.reset();
});

const echo = async (response: Response): Promise<EchoResponse> => (await response.json()) as EchoResponse;

describe('authProxy (Hono)', () => {
  it('forwards method, mapped path and query with the service token, never the caller’s credentials', async () => {
    const response = await fetch(`${proxy.url}/coaching/sessions/7?from=2024-01-01&x=a%20b`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer caller-token', cookie: 'session=abc', 'x-request-id': 'r1' },
    });
    expect(response.status).toBe(200);
    const body = await echo(response);
    expect(body).toMatchObject({
      method: 'DELETE',
      path: '/echo/sessions/7',
      query: { from: '2024-01-01', x: 'a b' },
    });
    expect(body.clientId).toBe('svc');
    expect(body.headers['cookie']).toBeUndefined();
    expect(body.headers['x-request-id']).toBe('r1');
    expect(s.api.unauthorized).toBe(0);
  });

  it('forwards JSON and binary bodies intact', async () => {
    const json = await echo(
      await fetch(`${proxy.url}/coaching/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'héllo' }),
      }),
    );
    expect(json).toMatchObject({ method: 'POST', body: '{"note":"héllo"}', contentType: 'application/json' });
    const bytes = new Uint8Array(256).map((_, i) => i);
    const binary = await echo(
      await fetch(`${proxy.url}/coaching/upload`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
    );
    expect(binary.bodyEncoding).toBe('base64');
    expect(Uint8Array.from(atob(binary.body), (c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('streams the response back without upstream cookies', async () => {
    const response = await fetch(`${proxy.url}/raw/stream`);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.text()).toBe('chunk1\nchunk2\nchunk3\n');
  });

  it('replays a 401 once with a new token and the body intact (token revoked at the auth server)', async () => {
    await fetch(`${proxy.url}/coaching/warm`);
    s.auth.reset();
    s.api.reset();
    s.auth.revoke((await source.getToken()).accessToken);
    const response = await fetch(`${proxy.url}/coaching/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(response.status).toBe(200);
    expect((await echo(response)).body).toBe('{"n":1}');
    expect(s.api.unauthorized).toBe(1);
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('answers the 401 as it is for a body too long to buffer (keeping the token), and streams it whole otherwise', async () => {
    await fetch(`${proxy.url}/small/warm`);
    s.auth.revoke((await source.getToken()).accessToken);
    s.api.reset();
    const rejected = await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'x'.repeat(64) });
    expect(rejected.status).toBe(401);
    expect(s.api.requests).toBe(1);
    // Not replayed, so not invalidated (core's 401 rule): the next replayable request replaces the token.
    expect((await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'short' })).status).toBe(200);
    const streamed = await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'y'.repeat(64) });
    expect(streamed.status).toBe(200);
    expect((await echo(streamed)).body).toBe('y'.repeat(64));
  });

  it('pins the status of every path trick, and never leaves the target origin or base path', async () => {
    const other = await listen(new Hono().all('*', (c) => c.text('evil')));
    try {
      const host = other.url.slice('http://'.length);
      // Raw request lines on a real port; Hono routes `/coaching/*` only, after resolving dot-segments.
      const cases: [string, number, string | undefined][] = [
        [`/coaching//${host}/x`, 200, `/echo/${host}/x`],
        // @hono/node-server itself refuses a backslash in the request line (`RequestError`, 500).
        [`/coaching/\\${host}/x`, 500, undefined],
        [`/coaching/%2F%2F${host}/x`, 400, undefined],
        [`/coaching/http://${host}/x`, 200, `/echo/http://${host}/x`],
        [`//${host}/x`, 404, undefined],
        ['/coaching/../../x', 404, undefined],
        ['/coaching/%2e%2e/%2e%2e/admin', 404, undefined],
        ['/coaching/a/../b', 200, '/echo/b'],
        ['/coaching/..%2fx', 400, undefined],
        ['/coaching/%2e%2e%5Cx', 400, undefined],
      ];
      for (const [path, status, upstreamPath] of cases) {
        s.api.reset();
        const response = await rawRequest(proxy.url, path);
        expect([path, response.status]).toEqual([path, status]);
        expect(response.body).not.toBe('evil');
        expect(s.api.requestLog.map((entry) => entry.path)).toEqual(upstreamPath ? [upstreamPath] : []);
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a path that climbs above the target base path', async () => {
    const handler = authProxy({
      source: s.source(),
      target: `${s.apiServer.url}/echo`,
      rewrite: () => '/../stream',
    });
    const response = await new Hono().all('*', handler).request('/x');
    expect(response.status).toBe(400);
    expect(s.api.requests).toBe(0);
  });

  it('answers a token failure with a problem response', async () => {
    s.auth.faults.fail(3, { status: 500 });
    const failing = new Hono().all('*', authProxy({ source: s.source(), target: s.apiServer.url }));
    const response = await failing.request('/echo');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
