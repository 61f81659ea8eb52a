import { request as httpRequest } from 'node:http';
import type { TokenSource } from '@grantkit/core';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EchoResponse, type Servers, startServers } from './index.js';

/** What a suite asks an adapter to mount at `/p`: the options every proxy takes. */
export interface ProxySetup {
  readonly source: TokenSource;
  readonly target: string;
  readonly stripPrefix: '/p';
  readonly forwardHeaders?: readonly string[];
  readonly fetch?: typeof fetch;
}

/** Mounts the adapter's proxy at `/p` with `setup`, on a loopback port. */
export type MountProxy = (setup: ProxySetup) => Promise<RunningServer>;

/** Sends a request line exactly as written (fetch would normalise the path). */
export const rawRequest = (
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = httpRequest({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

const timingOut: typeof fetch = (input, init) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(100) } as RequestInit);

/**
 * The proxy edges every authenticating proxy (fetch, Hono, Express) must hold, each with its exact status:
 * encoded traversal, forwarded and identity headers, unreachable and timed-out upstreams, `Location`
 * rewriting, and the 401 rule (no storms, revoked tokens replaced once).
 */
export function proxyEdgeSuite(name: string, mount: MountProxy): void {
  describe(`${name}: proxy edges`, () => {
    let s: Servers;
    let source: TokenSource;
    const running: RunningServer[] = [];
    let echoProxy: RunningServer;
    let rootProxy: RunningServer;
    let openProxy: RunningServer;
    const start = async (setup: Omit<ProxySetup, 'stripPrefix'>): Promise<RunningServer> => {
      const server = await mount({ stripPrefix: '/p', ...setup });
      running.push(server);
      return server;
    };
    beforeAll(async () => {
      s = await startServers();
      source = s.source();
      echoProxy = await start({ source, target: `${s.apiUrl}/echo`, forwardHeaders: ['x-forwarded-for'] });
      rootProxy = await start({ source, target: s.apiUrl });
      openProxy = await start({ source, target: `${s.openUrl}/base` });
    });
    afterAll(async () => {
      await Promise.all(running.map((server) => server.close()));
      await s.close();
    });
    beforeEach(() => {
      s.auth.reset();
      s.api.reset();
    });

    it.each([
      ['/p/a', 200],
      ['/p/a/..%2fstream', 400],
      ['/p/a/%2e%2e%2fstream', 400],
      ['/p/a/%2E%2E%2Fstream', 400],
      ['/p/a/..%5cstream', 400],
      ['/p/a/..%5Cstream', 400],
      ['/p/a%2Fb', 400],
      ['/p/a%2fb', 400],
      ['/p//elsewhere.example/x', 200],
    ])('%s → %i', async (path, status) => {
      const response = await rawRequest(echoProxy.url, path);
      expect(response.status).toBe(status);
      if (status === 400) expect(s.api.requests).toBe(0);
      else expect((JSON.parse(response.body) as EchoResponse).path).toMatch(/^\/echo\//);
    });

    it('drops caller Forwarded, X-Forwarded-*, X-Real-IP and X-User-* unless named', async () => {
      const response = await rawRequest(echoProxy.url, '/p/h', {
        forwarded: 'for=6.6.6.6',
        'x-forwarded-for': '1.2.3.4',
        'x-forwarded-host': 'evil.example',
        'x-real-ip': '6.6.6.6',
        'x-user-id': 'admin',
        'x-trace': 't1',
      });
      expect(response.status).toBe(200);
      const { headers } = JSON.parse(response.body) as EchoResponse;
      expect([headers['x-forwarded-for'], headers['x-trace']]).toEqual(['1.2.3.4', 't1']);
      for (const dropped of ['forwarded', 'x-forwarded-host', 'x-real-ip', 'x-user-id'])
        expect(headers[dropped], dropped).toBeUndefined();
    });

    it('an unreachable upstream is a 502 problem, a timed-out one a 504, naming no address', async () => {
      const closed = await listen({ fetch: () => new Response('') });
      await closed.close();
      const hanging = await listen({ fetch: () => new Promise<Response>(() => {}) });
      running.push(hanging);
      const unreachable = await start({ source, target: closed.url });
      const slow = await start({ source, target: hanging.url, fetch: timingOut });
      for (const [proxy, status, port] of [
        [unreachable, 502, new URL(closed.url).port],
        [slow, 504, new URL(hanging.url).port],
      ] as const) {
        const response = await rawRequest(proxy.url, '/p/x');
        expect(response.status).toBe(status);
        expect(response.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(response.body)).toMatchObject({ status });
        expect(response.body).not.toContain(port);
        expect(response.body).not.toMatch(/at |ECONNREFUSED|fetch failed/);
      }
    });

    it.each([
      ['/base/next?a=1', '/p/next?a=1'],
      ['OPEN/base/abs', '/p/abs'],
      ['/outside', undefined],
      ['https://elsewhere.example/file', 'https://elsewhere.example/file'],
    ])('Location %s → %s', async (to, shown) => {
      const location = to.replace('OPEN', s.openUrl);
      const response = await rawRequest(openProxy.url, `/p/redirect?to=${encodeURIComponent(location)}`);
      expect(response.status).toBe(302);
      expect(response.headers['location']).toBe(shown);
    });

    it('20 sequential calls to a path that always answers 401: at most 2 token requests', async () => {
      for (let i = 0; i < 20; i++) expect((await rawRequest(rootProxy.url, '/p/refuses/x')).status).toBe(401);
      expect(s.auth.tokenRequests).toBeLessThanOrEqual(2);
    });

    it('a revoked token is replaced by the first 401 and the request replayed once', async () => {
      await rawRequest(rootProxy.url, '/p/echo/warm');
      s.auth.reset();
      s.api.reset();
      s.auth.revoke((await source.getToken()).accessToken);
      const response = await rawRequest(rootProxy.url, '/p/echo/again');
      expect(response.status).toBe(200);
      expect(s.api.requestLog.map((entry) => entry.status)).toEqual([401, 200]);
      expect(s.auth.tokenRequests).toBe(1);
    });

    it('100 concurrent 401s for one revoked token: one new token request', async () => {
      await rawRequest(rootProxy.url, '/p/echo/warm');
      s.auth.reset();
      s.auth.revoke((await source.getToken()).accessToken);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => rawRequest(rootProxy.url, `/p/echo/${i}`)),
      );
      expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 100 }, () => 200));
      expect(s.auth.tokenRequests).toBe(1);
    });
  });
}
