import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenSource } from '@grantkit/core';
import { type Servers, startServers } from '@grantkit/test-servers';
import { proxyEdgeSuite, rawRequest } from '@grantkit/test-servers/proxy-suite';
import type { EchoResponse } from '@grantkit/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authProxy } from './index.js';
import { frameworks, serve } from './test/frameworks.js';

let s: Servers;
let evil: { url: string; close(): void };
beforeAll(async () => {
  s = await startServers();
  const server = createServer((_req, res) => res.end('evil'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  evil = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
});
afterAll(async () => {
  evil.close();
  await s.close();
});
beforeEach(() => {
  s.auth.reset();
  s.api.reset();
});

const echo = async (response: globalThis.Response): Promise<EchoResponse> =>
  (await response.json()) as EchoResponse;

describe.each(frameworks)('authProxy (%s)', (_name, load) => {
  let source: TokenSource;
  let proxy: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    source = s.source();
    const express = await load();
    const app = express();
    app.use('/coaching', authProxy({ source, target: `${s.apiServer.url}/echo` }));
    app.use('/small', authProxy({ source, target: `${s.apiServer.url}/echo`, maxReplayBodyBytes: 8 }));
    app.use('/raw', authProxy({ source, target: s.apiServer.url }));
    app.use(
      '/hooked',
      authProxy({
        source: s.source('svc', 'wrong-secret'),
        target: s.apiServer.url,
        onError: (error, _req, _res, next) => next(error),
      }),
    );
    app.use('/failing', authProxy({ source: s.source('svc', 'wrong-secret'), target: s.apiServer.url }));
    app.use((error: { code?: string }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ handledByApp: error.code });
    });
    proxy = await serve(app);
  });
  afterAll(() => proxy.close());

  it('forwards method, path and query with the service token, never the caller’s credentials', async () => {
    const response = await fetch(`${proxy.url}/coaching/sessions/7?from=2024-01-01&x=a%20b`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer caller-token', cookie: 'session=abc', 'x-request-id': 'r1' },
    });
    expect(response.status).toBe(200);
    const body = await echo(response);
    expect(body).toMatchObject({
      method: 'PATCH',
      path: '/echo/sessions/7',
      query: { from: '2024-01-01', x: 'a b' },
      clientId: 'svc',
    });
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
    s.auth.revoke((await source.getToken()).accessToken);
    const response = await fetch(`${proxy.url}/coaching/notes`, { method: 'POST', body: 'kept' });
    expect(response.status).toBe(200);
    expect((await echo(response)).body).toBe('kept');
    expect(s.api.unauthorized).toBe(1);
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('answers the 401 as it is for a body too long to buffer (keeping the token), and streams such a body whole', async () => {
    s.auth.revoke((await source.getToken()).accessToken);
    const rejected = await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'x'.repeat(64) });
    expect(rejected.status).toBe(401);
    // Not replayed, so not invalidated (core's 401 rule): the next replayable request replaces the token.
    expect((await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'short' })).status).toBe(200);
    const streamed = await fetch(`${proxy.url}/small/notes`, { method: 'POST', body: 'y'.repeat(64) });
    expect(streamed.status).toBe(200);
    expect((await echo(streamed)).body).toBe('y'.repeat(64));
  });

  it('pins the status of every path trick, and never leaves the target origin or base path', async () => {
    const host = evil.url.slice('http://'.length);
    const cases: [string, number, string | undefined][] = [
      [`/coaching//${host}/x`, 200, `/echo/${host}/x`],
      [`/coaching/\\${host}/x`, 200, `/echo/${host}/x`],
      [`/coaching/%2F%2F${host}/x`, 400, undefined],
      [`/coaching/http://${host}/x`, 200, `/echo/http://${host}/x`],
      ['/coaching/../../x', 400, undefined],
      ['/coaching/%2e%2e/%2e%2e/x', 400, undefined],
      ['/coaching/a/../../x', 400, undefined],
      ['/coaching/a/../b', 200, '/echo/b'],
      ['/coaching/..%2fx', 400, undefined],
      ['/coaching/%2e%2e%5Cx', 400, undefined],
    ];
    for (const [path, status, upstreamPath] of cases) {
      s.api.reset();
      const response = await rawRequest(proxy.url, path);
      expect([path, response.status]).toEqual([path, status]);
      expect(s.api.requestLog.map((entry) => entry.path)).toEqual(upstreamPath ? [upstreamPath] : []);
    }
  });

  it('answers a token failure with a problem response, or hands it to next() when onError asks', async () => {
    const failing = await fetch(`${proxy.url}/failing/echo`);
    expect(failing.status).toBe(502);
    expect(failing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await failing.text()).not.toContain('wrong-secret');
    const hooked = await fetch(`${proxy.url}/hooked/echo`);
    expect(hooked.status).toBe(500);
    expect(await hooked.json()).toEqual({ handledByApp: 'GRANTKIT_OAUTH_ERROR' });
  });
});

proxyEdgeSuite('authProxy (express 5)', async (setup) => {
  const { stripPrefix, ...options } = setup;
  const app = express();
  app.use(stripPrefix, authProxy(options));
  return serve(app);
});
