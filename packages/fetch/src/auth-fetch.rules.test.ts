import { isGrantkitError, type TokenSource } from '@grantkit/core';
import { type EchoResponse, useServers } from '@grantkit/test-servers';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import { describe, expect, it } from 'vitest';
import { authFetch } from './auth-fetch.js';

const s = useServers();

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

redirectRuleSuite('authFetch', (source, origins) => {
  const api = authFetch(source, { origins });
  return (url, call) => api(url, call);
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
