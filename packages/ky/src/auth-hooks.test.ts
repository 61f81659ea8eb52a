import { isGrantkitError, type TokenSource } from '@grantkit/core';
import { type EchoResponse, type Servers, useServers } from '@grantkit/test-servers';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import * as kyModule from 'ky';
import ky, { type HTTPError, type KyInstance } from 'ky';
import { describe, expect, it, vi } from 'vitest';
import { authHooks } from './auth-hooks.js';

// The vitest project aliases `ky` to ky 1 or ky 2; this suite runs once for each.
const major = process.env['KY_MAJOR'];

const s = useServers();

const jti = (accessToken: string): unknown => {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).jti;
};

async function revokedSource(): Promise<{ source: ReturnType<Servers['source']>; revokedId: unknown }> {
  const source = s.source();
  const { accessToken } = await source.getToken();
  s.auth.revoke(accessToken);
  return { source, revokedId: jti(accessToken) };
}

const client = (source: TokenSource, origins: string[] | '*' = [s.apiUrl]): KyInstance =>
  ky.create({ hooks: authHooks(source, { origins }) });

const statusOf = async (promise: Promise<unknown>): Promise<number> =>
  promise.then(
    () => 200,
    (error: HTTPError) => error.response.status,
  );

describe(`authHooks with ky ${major}`, () => {
  it('runs against the ky major this project aliases', () => {
    // ky 2 added NetworkError; ky 1 has none.
    expect('NetworkError' in kyModule ? '2' : '1').toBe(major);
  });

  it('adds the token for listed origins only, and asks for no token otherwise', async () => {
    const api = client(s.source());
    expect(await api(`${s.openUrl}/x`).json()).toMatchObject({ authorization: null });
    expect(s.auth.tokenRequests).toBe(0);
    const echoed = await api(`${s.apiUrl}/echo/a`, { searchParams: { q: '1' } }).json<EchoResponse>();
    expect(echoed).toMatchObject({ path: '/echo/a', query: { q: '1' } });
    expect(echoed.tokenId).toBeTypeOf('string');
    expect(s.auth.tokenRequests).toBe(1);
  });

  it("leaves the caller's Authorization alone: in options, on a Request, or from an earlier hook", async () => {
    const api = client(s.source(), '*');
    const seen = (response: Promise<unknown>) =>
      (response as Promise<Response>).then(
        async (r) => ((await r.json()) as { authorization: unknown }).authorization,
      );
    expect(await seen(api(`${s.openUrl}/a`, { headers: { Authorization: 'Basic abc' } }))).toBe('Basic abc');
    expect(await seen(api(new Request(`${s.openUrl}/b`, { headers: { authorization: 'Other x' } })))).toBe(
      'Other x',
    );
    // A caller hook that runs before ours and sets its own header.
    const ordered = ky.create({
      hooks: {
        beforeRequest: [
          (...args: unknown[]) => {
            const first = args[0] as Request | { request: Request };
            (first instanceof Request ? first : first.request).headers.set('authorization', 'Theirs y');
          },
          ...authHooks(s.source(), { origins: '*' }).beforeRequest,
        ],
      },
    });
    expect(await seen(ordered(`${s.openUrl}/c`))).toBe('Theirs y');
    expect(s.auth.tokenRequests).toBe(0);
  });

  it('revoked token, POST JSON: one new token request and one replay with the same body', async () => {
    const { source, revokedId } = await revokedSource();
    const echoed = await client(source)
      .post(`${s.apiUrl}/echo/json`, { json: { hello: 'world' } })
      .json<EchoResponse>();
    expect(echoed).toMatchObject({
      method: 'POST',
      body: '{"hello":"world"}',
      contentType: 'application/json',
    });
    expect(echoed.tokenId).not.toBe(revokedId);
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(2);
    expect(s.api.unauthorized).toBe(1);
  });

  it('revoked token, POST FormData: the replay carries the same multipart body', async () => {
    const { source } = await revokedSource();
    const form = new FormData();
    form.set('field', 'value');
    form.set('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt');
    const echoed = await client(source).post(`${s.apiUrl}/echo/form`, { body: form }).json<EchoResponse>();
    expect(echoed.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(echoed.body).toContain('file body');
    expect(echoed.body).toContain('value');
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(2);
  });

  it('revoked token, a Request object: replayed with its body', async () => {
    const { source } = await revokedSource();
    const request = new Request(`${s.apiUrl}/echo/req`, {
      method: 'PUT',
      body: 'plain text',
      headers: { 'content-type': 'text/plain' },
    });
    const echoed = await client(source)(request).json<EchoResponse>();
    expect(echoed).toMatchObject({ method: 'PUT', body: 'plain text', contentType: 'text/plain' });
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(2);
  });

  it("returns a second 401, and ky's own retry does not multiply the replay", async () => {
    const real = s.source();
    const alwaysRevoked: TokenSource = {
      getToken: async (options) => {
        const token = await real.getToken(options);
        s.auth.revoke(token.accessToken);
        return token;
      },
      invalidate: (token) => real.invalidate(token),
      state: real.state,
    };
    const api = client(alwaysRevoked);
    expect(await statusOf(api.get(`${s.apiUrl}/echo`, { retry: { limit: 5, delay: () => 0 } }))).toBe(401);
    expect(s.api.requests).toBe(2);
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('20 sequential calls to a path that always answers 401: 2 token requests in all', async () => {
    const api = client(s.source());
    for (let i = 0; i < 20; i++)
      expect(await statusOf(api.post(`${s.apiUrl}/refuses/x`, { body: `${i}`, retry: 2 }))).toBe(401);
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(21);
  });

  it('a 401 from an origin not listed, after a redirect, costs no token request', async () => {
    const api = client(s.source());
    const to = encodeURIComponent(`${s.openUrl}/refuses`);
    for (let i = 0; i < 5; i++) expect(await statusOf(api.get(`${s.apiUrl}/redirect?to=${to}`))).toBe(401);
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('called without options: a GRANTKIT_CONFIGURATION error, not a TypeError', () => {
    const build = authHooks as (source: TokenSource) => unknown;
    expect(() => build(s.source())).toThrow(expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }));
  });

  it('with retry: 0 there is no ky retry to use: the 401 is returned and the token kept', async () => {
    const { source } = await revokedSource();
    const api = client(source);
    expect(await statusOf(api.post(`${s.apiUrl}/echo`, { body: 'x', retry: 0 }))).toBe(401);
    expect(s.api.requests).toBe(1);
    expect((await api.get(`${s.apiUrl}/echo`).json<EchoResponse>()).method).toBe('GET');
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('does not replay a stream body', async () => {
    const { source } = await revokedSource();
    const body = new Blob(['streamed']).stream();
    expect(await statusOf(client(source).post(`${s.apiUrl}/echo`, { body }))).toBe(401);
    expect(s.api.requests).toBe(1);
  });

  it("one caller's abort fails only that caller", async () => {
    const api = client(s.source());
    s.auth.faults.hang(1);
    const controller = new AbortController();
    const aborted = api.get(`${s.apiUrl}/echo/a`, { signal: controller.signal, retry: 0 });
    const other = api.get(`${s.apiUrl}/echo/b`).json<EchoResponse>();
    await vi.waitFor(() => expect(s.auth.tokenRequests).toBe(1));
    controller.abort(new DOMException('caller gave up', 'AbortError'));
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    s.auth.faults.clear();
    expect((await other).path).toBe('/echo/b');
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('100 concurrent requests with a revoked token cause exactly one new token request', async () => {
    const { source, revokedId } = await revokedSource();
    const api = client(source);
    const echoed = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api.post(`${s.apiUrl}/echo/${i}`, { body: `${i}` }).json<EchoResponse>(),
      ),
    );
    expect(s.auth.tokenRequests).toBe(2);
    expect(new Set(echoed.map((e) => e.tokenId)).size).toBe(1);
    expect(echoed[0]?.tokenId).not.toBe(revokedId);
    expect(echoed.map((e) => e.body)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
  });

  it('rejects with the typed token error, without the secret in it', async () => {
    const api = client(s.source('svc', 'wrong-secret-value'));
    const error: unknown = await api.post(`${s.apiUrl}/echo`, { retry: 0 }).catch((e: unknown) => e);
    expect(isGrantkitError(error) && [error.code, error.endpointStatus]).toEqual([
      'GRANTKIT_OAUTH_ERROR',
      401,
    ]);
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-secret-value');
    expect(s.api.requests).toBe(0);
  });
});

redirectRuleSuite(`authHooks with ky ${major}`, (source, origins) => {
  const api = ky.create({ hooks: authHooks(source, { origins }), throwHttpErrors: false });
  return (url, call = {}) => api(url, call);
});
