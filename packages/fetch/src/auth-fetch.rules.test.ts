import { isGrantkitError, type TokenSource } from '@grantkit/core';
import { type EchoResponse, type Servers, startServers } from '@grantkit/test-servers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authFetch } from './auth-fetch.js';

let s: Servers;
beforeAll(async () => {
  s = await startServers();
});
afterAll(() => s.close());
beforeEach(() => {
  s.auth.reset();
  s.api.reset();
});

const seen = async (response: Response): Promise<{ authorization: string | null; url: string }> => {
  expect(response.status).toBe(200);
  return (await response.json()) as { authorization: string | null; url: string };
};

describe('authFetch: 401s cannot storm', () => {
  it('20 sequential calls to a path that always answers 401: 2 token requests in all', async () => {
    const api = authFetch(s.source(), { origins: [s.apiUrl] });
    for (let i = 0; i < 20; i++) {
      const response = await api(`${s.apiUrl}/refuses/x?i=${i}`, { method: 'POST', body: `${i}` });
      expect(response.status).toBe(401);
    }
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(21);
  });

  it('a 302 to an origin not listed that answers 401 never costs a token request', async () => {
    const api = authFetch(s.source(), { origins: [s.apiUrl] });
    const to = encodeURIComponent(`${s.openUrl}/refuses`);
    for (let i = 0; i < 20; i++) expect((await api(`${s.apiUrl}/redirect?to=${to}`)).status).toBe(401);
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('a revoked token is replaced by the first 401, after a refusing path was learnt', async () => {
    const source = s.source();
    const api = authFetch(source, { origins: [s.apiUrl] });
    expect((await api(`${s.apiUrl}/refuses/x`)).status).toBe(401);
    s.auth.revoke((await source.getToken()).accessToken);
    const response = await api(`${s.apiUrl}/echo`);
    expect(((await response.json()) as EchoResponse).method).toBe('GET');
    expect(s.auth.tokenRequests).toBe(3);
  });
});

describe('authFetch: redirects under a URL-prefix rule', () => {
  it('the token never follows a redirect out of the prefix, and follows one within it', async () => {
    const api = authFetch(s.source(), { origins: [`${s.openUrl}/coaching/`] });
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

  it('a 307 resends method and body; a 303 becomes a GET; a redirect:"manual" caller gets the 302', async () => {
    const api = authFetch(s.source(), { origins: [`${s.apiUrl}/`] });
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

describe('authFetch: configuration and tokens in errors', () => {
  it('called without options: a GRANTKIT_CONFIGURATION error, not a TypeError', () => {
    const error: unknown = (() => {
      try {
        return (authFetch as (source: TokenSource) => unknown)(s.source());
      } catch (e) {
        return e;
      }
    })();
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_CONFIGURATION');
  });

  it('a token no header can carry rejects without the token in the error', async () => {
    const bad = 'eyJtoken-secret\nx: 1';
    const source: TokenSource = {
      getToken: async () => ({ accessToken: bad, tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }),
      invalidate: () => {},
      state: s.source().state,
    };
    const error: unknown = await authFetch(source, { origins: [s.apiUrl] })(`${s.apiUrl}/echo`).catch(
      (e: unknown) => e,
    );
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_INVALID_RESPONSE');
    expect(`${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain('secret');
    expect(s.api.requests).toBe(0);
  });
});
