import type { Origins, TokenSource } from '@grantkit/core';
import { describe, expect, it } from 'vitest';
import { type EchoResponse, useServers } from './index.js';

/** What the suite asks of a request; the adapter sends it with its own idiom and answers the Response. */
export interface RedirectCall {
  readonly method?: string;
  readonly body?: string;
  readonly redirect?: RequestRedirect;
}

/** An adapter's authenticated client for `source` and `origins`, answering every status as a Response. */
export type RedirectClient = (
  source: TokenSource,
  origins: Origins,
) => (url: string, call?: RedirectCall) => Promise<Response>;

/**
 * Core's redirect rule through an adapter: a request carrying the token has its redirects followed hop
 * by hop, and the token goes only to the hops the origins allow (a URL-prefix rule included).
 */
export function redirectRuleSuite(name: string, client: RedirectClient): void {
  describe(`${name}: redirects under a URL-prefix rule`, () => {
    const s = useServers();

    const seen = async (response: Response): Promise<{ authorization: string | null; url: string }> => {
      expect(response.status).toBe(200);
      return (await response.json()) as { authorization: string | null; url: string };
    };

    it('the token never follows a redirect out of the prefix, and follows one within it', async () => {
      const api = client(s.source(), [`${s.openUrl}/coaching/`]);
      const out = await seen(await api(`${s.openUrl}/coaching/redirect?to=/admin`));
      expect(out).toEqual({ authorization: null, url: `${s.openUrl}/admin` });
      const within = await seen(await api(`${s.openUrl}/coaching/redirect?to=/coaching/v1`));
      expect(within.url).toBe(`${s.openUrl}/coaching/v1`);
      expect(within.authorization).toMatch(/^Bearer ey/);
      // The API's origin refuses the request: it came without the token, and that 401 invalidates nothing.
      const other = await api(`${s.openUrl}/coaching/redirect?to=${encodeURIComponent(`${s.apiUrl}/echo`)}`);
      expect(other.status).toBe(401);
      expect(s.api.requestLog.map((entry) => [entry.path, entry.status])).toEqual([['/echo', 401]]);
      expect(s.auth.tokenRequests).toBe(1);
    });

    it('a revoked token refused after a redirect within the origins is replaced once, and the call replayed', async () => {
      const source = s.source();
      s.auth.revoke((await source.getToken()).accessToken);
      const api = client(source, [`${s.openUrl}/coaching/`, s.apiUrl]);
      const to = encodeURIComponent(`${s.apiUrl}/echo/next`);
      const answer = (await (await api(`${s.openUrl}/coaching/redirect?to=${to}`)).json()) as EchoResponse;
      expect([answer.path, answer.tokenId]).toEqual(['/echo/next', expect.any(String)]);
      expect(s.api.requestLog.map((entry) => [entry.path, entry.status])).toEqual([
        ['/echo/next', 401],
        ['/echo/next', 200],
      ]);
      expect(s.auth.tokenRequests).toBe(2);
    });

    it('a 307 resends method and body; a 303 becomes a GET; a redirect:"manual" caller gets the 302', async () => {
      const api = client(s.source(), [`${s.apiUrl}/`]);
      const to = (status: number) => `${s.apiUrl}/redirect?to=/echo/next&status=${status}`;
      const resent = (await (await api(to(307), { method: 'PUT', body: 'kept' })).json()) as EchoResponse;
      expect([resent.method, resent.body, resent.path]).toEqual(['PUT', 'kept', '/echo/next']);
      expect(resent.tokenId).toBeTypeOf('string');
      const got = (await (await api(to(303), { method: 'POST', body: 'dropped' })).json()) as EchoResponse;
      expect([got.method, got.body]).toEqual(['GET', '']);
      const manual = await api(to(302), { redirect: 'manual' });
      expect([manual.status, manual.headers.get('location')]).toEqual([302, '/echo/next']);
    });
  });
}
