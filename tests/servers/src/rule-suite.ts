import type { Origins, TokenSource } from '@grantkit/core';
import type { RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServers } from './index.js';

/**
 * Mounts an adapter's middleware with `source` and `origins`, and a route `GET /call?to=<url>` that POSTs
 * a small body to `to` with the middleware's fetch and answers with the upstream's status.
 */
export type MountMiddleware = (setup: { source: TokenSource; origins: Origins }) => Promise<RunningServer>;

/** The 401 rule through a middleware: no storms, a revoked token replaced once, one token for 100 at once. */
export function middlewareRuleSuite(name: string, mount: MountMiddleware): void {
  describe(`${name}: the 401 rule`, () => {
    const s = useServers();
    let source: TokenSource;
    let app: RunningServer;
    const call = async (url: string): Promise<number> =>
      (await fetch(`${app.url}/call?to=${encodeURIComponent(url)}`)).status;
    beforeAll(async () => {
      source = s.source();
      app = await mount({ source, origins: [s.apiUrl] });
    });
    afterAll(() => app.close());

    it('20 sequential calls to a path that always answers 401: at most 2 token requests', async () => {
      for (let i = 0; i < 20; i++) expect(await call(`${s.apiUrl}/refuses/x`)).toBe(401);
      expect(s.auth.tokenRequests).toBeLessThanOrEqual(2);
    });

    it('a revoked token is replaced by the first 401 and the request replayed once', async () => {
      expect(await call(`${s.apiUrl}/echo/warm`)).toBe(200);
      s.auth.reset();
      s.api.reset();
      s.auth.revoke((await source.getToken()).accessToken);
      expect(await call(`${s.apiUrl}/echo/again`)).toBe(200);
      expect(s.api.requestLog.map((entry) => entry.status)).toEqual([401, 200]);
      expect(s.auth.tokenRequests).toBe(1);
    });

    it('100 concurrent 401s for one revoked token: one new token request', async () => {
      expect(await call(`${s.apiUrl}/echo/warm`)).toBe(200);
      s.auth.reset();
      s.auth.revoke((await source.getToken()).accessToken);
      const statuses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => call(`${s.apiUrl}/echo/${i}`)),
      );
      expect(statuses).toEqual(Array.from({ length: 100 }, () => 200));
      expect(s.auth.tokenRequests).toBe(1);
    });
  });
}
