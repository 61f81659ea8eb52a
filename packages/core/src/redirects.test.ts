import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundPolicy } from './outbound.js';
import { followRequest, isRedirect } from './redirects.js';

const redirect = (status: number, location?: string): Response =>
  new Response(null, { status, headers: location === undefined ? {} : { location } });

describe('isRedirect', () => {
  it('is a 301, 302, 303, 307 or 308 with a Location, and nothing else', () => {
    for (const status of [301, 302, 303, 307, 308]) expect(isRedirect(redirect(status, '/next'))).toBe(true);
    for (const status of [200, 300, 304, 305, 401]) expect(isRedirect(redirect(status, '/next'))).toBe(false);
    expect(isRedirect(redirect(302))).toBe(false);
  });
});

describe('followRequest, against a loopback server', () => {
  // `/go?to=<path>&status=<n>` redirects; any other path answers what it received.
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/go')) {
        response.writeHead(Number(url.searchParams.get('status') ?? 302), {
          location: url.searchParams.get('to') ?? '/',
        });
        response.end();
        return;
      }
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const seen = { path: url.pathname, method: request.method, body, ...request.headers };
        response.end(JSON.stringify(seen));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Sends `path` as an adapter does (token set, `redirect: 'manual'`), then follows through core. */
  const follow = async (path: string, method = 'GET', body: string | null = null) => {
    const request = new Request(`${origin}${path}`, {
      method,
      headers: { authorization: 'Bearer t', accept: 'application/json' },
      body,
      redirect: 'manual',
    });
    const policy = outboundPolicy([`${origin}/v1/`]);
    const [last, url] = await followRequest(await fetch(request), { request, body }, policy, fetch);
    return { url, seen: (await last.json()) as Record<string, string | undefined> };
  };

  it('the token goes only to hops within the rule; the other headers go everywhere', async () => {
    const out = await follow('/v1/go?to=/admin');
    expect([out.url, out.seen['path'], out.seen['authorization'], out.seen['accept']]).toEqual([
      `${origin}/admin`,
      '/admin',
      undefined,
      'application/json',
    ]);
    const back = await follow(`/v1/go?to=${encodeURIComponent('/admin/go?to=/v1/b')}`);
    expect([back.seen['path'], back.seen['authorization']]).toEqual(['/v1/b', 'Bearer t']);
  });

  it('a 307 resends method and body; a 303 becomes a body-less GET', async () => {
    const kept = await follow('/v1/go?to=/v1/b&status=307', 'PUT', 'kept');
    expect([kept.seen['method'], kept.seen['body']]).toEqual(['PUT', 'kept']);
    const dropped = await follow('/v1/go?to=/v1/b&status=303', 'POST', 'dropped');
    expect([dropped.seen['method'], dropped.seen['body']]).toEqual(['GET', '']);
  });
});
