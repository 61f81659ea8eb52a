import { type Servers, startServers } from '@grantkit/test-servers';
import { proxyEdgeSuite, rawRequest } from '@grantkit/test-servers/proxy-suite';
import { listen } from '@grantkit/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authProxy } from './auth-proxy.js';

proxyEdgeSuite('authProxy (fetch)', (setup) => listen({ fetch: authProxy(setup) }));

describe('authProxy (fetch): building and context', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers();
  });
  afterAll(() => s.close());

  it('refuses an unusable target when it is built, with a GRANTKIT_CONFIGURATION error', () => {
    for (const target of ['api.acme.com', 'ftp://x.example', 'https://a.example/?q=1', ''])
      expect(() => authProxy({ source: s.source(), target }), target).toThrow(
        expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }),
      );
  });

  it('reads target and source from the context it is handed, built once', async () => {
    const proxy = authProxy<{ api: string }>({ source: s.source(), target: (env) => `${env.api}/echo` });
    const response = await proxy.handle(new Request('http://proxy.local/things'), {
      context: { api: s.apiUrl },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: string }).path).toBe('/echo/things');
    const bad = await proxy.handle(new Request('http://proxy.local/x'), { context: { api: 'nope' } });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([
      500,
      'GRANTKIT_CONFIGURATION',
    ]);
  });

  it('refuses a path that climbs out of the mount prefix, as a plain handler on a port', async () => {
    const server = await listen({
      fetch: authProxy({ source: s.source(), target: `${s.apiUrl}/echo`, stripPrefix: '/p' }),
    });
    try {
      s.api.reset();
      for (const path of ['/p/%2e%2e/%2e%2e/x', '/p/../x', '/p/a/../../x', '/other'])
        expect((await rawRequest(server.url, path)).status, path).toBe(400);
      expect((await rawRequest(server.url, '/p/a/../b')).status).toBe(200);
      expect(s.api.requestLog.map((entry) => entry.path)).toEqual(['/echo/b']);
    } finally {
      await server.close();
    }
  });
});
