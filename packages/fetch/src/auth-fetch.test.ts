import { type GetTokenOptions, isGrantkitError, type TokenSource } from '@grantkit/core';
import { type EchoResponse, type Servers, useServers } from '@grantkit/test-servers';
import { describe, expect, it, vi } from 'vitest';
import { authFetch } from './auth-fetch.js';

const s = useServers();

const echo = async (response: Response): Promise<EchoResponse> => {
  expect(response.status).toBe(200);
  return (await response.json()) as EchoResponse;
};
const jti = (accessToken: string): unknown => {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).jti;
};

/** A real source whose current token the authorization server has just revoked. */
async function revokedSource(): Promise<{ source: ReturnType<Servers['source']>; revokedId: unknown }> {
  const source = s.source();
  const { accessToken } = await source.getToken();
  s.auth.revoke(accessToken);
  return { source, revokedId: jti(accessToken) };
}

describe('authFetch: which requests carry the token', () => {
  it('adds the token for a listed origin only, and asks for no token otherwise', async () => {
    const api = authFetch(s.source(), { origins: [s.apiUrl] });
    const open = (await (await api(`${s.openUrl}/x`)).json()) as { authorization: string | null };
    expect(open.authorization).toBeNull();
    expect(s.auth.tokenRequests).toBe(0);

    const body = await echo(await api(new URL(`${s.apiUrl}/echo/things?x=1`)));
    expect(body.tokenId).toBeTypeOf('string');
    expect(body.query).toEqual({ x: '1' });
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('sends the token only under a listed URL prefix', async () => {
    const api = authFetch(s.source(), { origins: [`${s.openUrl}/coaching/`] });
    const seen = async (path: string) =>
      ((await (await api(`${s.openUrl}${path}`)).json()) as { authorization: string | null }).authorization;
    expect(await seen('/coaching/v1')).toMatch(/^Bearer ey/);
    expect(await seen('/coachingx')).toBeNull();
    expect(await seen('/other')).toBeNull();
  });

  it('leaves an Authorization header the caller set, in init or on a Request, untouched', async () => {
    const api = authFetch(s.source(), { origins: '*' });
    const seen = async (response: Response) =>
      ((await response.json()) as { authorization: string | null }).authorization;
    expect(await seen(await api(`${s.openUrl}/a`, { headers: { Authorization: 'Basic abc' } }))).toBe(
      'Basic abc',
    );
    expect(
      await seen(await api(new Request(`${s.openUrl}/b`, { headers: { authorization: 'Other x' } }))),
    ).toBe('Other x');
    expect(s.auth.tokenRequests).toBe(0);
  });

  it('uses the fetch it was given and passes the caller signal and waitUntil to getToken', async () => {
    const real = s.source();
    const calls: GetTokenOptions[] = [];
    const recording: TokenSource = {
      getToken: (options) => {
        calls.push(options ?? {});
        return real.getToken(options);
      },
      invalidate: (token) => real.invalidate(token),
      get state() {
        return real.state;
      },
    };
    const sent: string[] = [];
    const waitUntil = (promise: Promise<unknown>) => void promise;
    const signal = new AbortController().signal;
    const api = authFetch(recording, {
      origins: [s.apiUrl],
      waitUntil,
      fetch: (input, init) => {
        sent.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await echo(await api(`${s.apiUrl}/echo`, { signal }));
    expect(sent).toEqual([`${s.apiUrl}/echo`]);
    expect(calls).toEqual([{ signal, waitUntil }]);
  });
});

describe('authFetch: replay on 401', () => {
  const json = JSON.stringify({ hello: 'world', n: 1 });
  const form = (): FormData => {
    const data = new FormData();
    data.set('field', 'value');
    data.set('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt');
    return data;
  };
  const bodies: [string, () => BodyInit, (echoed: EchoResponse) => void][] = [
    ['a JSON string', () => json, (e) => expect(e.body).toBe(json)],
    [
      'FormData',
      form,
      (e) => {
        expect(e.contentType).toMatch(/^multipart\/form-data; boundary=/);
        expect(e.body).toContain('file body');
        expect(e.body).toContain('value');
      },
    ],
    ['URLSearchParams', () => new URLSearchParams('a=1&b=2'), (e) => expect(e.body).toBe('a=1&b=2')],
    ['a Blob', () => new Blob(['blob!']), (e) => expect(e.body).toBe('blob!')],
    ['a Uint8Array', () => new TextEncoder().encode('bytes'), (e) => expect(e.body).toBe('bytes')],
  ];

  it.each(bodies)(
    'revoked token: one new token request and one replay with %s intact',
    async (_, body, check) => {
      const { source, revokedId } = await revokedSource();
      const api = authFetch(source, { origins: [s.apiUrl] });
      const echoed = await echo(
        await api(`${s.apiUrl}/echo`, { method: 'POST', body: body(), headers: { 'x-trace': 't1' } }),
      );
      check(echoed);
      expect(echoed.method).toBe('POST');
      expect(echoed.headers['x-trace']).toBe('t1');
      expect(echoed.tokenId).not.toBe(revokedId);
      expect(s.auth.tokenRequests).toBe(2);
      expect(s.api.requests).toBe(2);
      expect(s.api.unauthorized).toBe(1);
    },
  );

  it('replays a Request object with its body, from a clone taken before the first send', async () => {
    const { source, revokedId } = await revokedSource();
    const api = authFetch(source, { origins: [s.apiUrl] });
    const request = new Request(`${s.apiUrl}/echo/r`, {
      method: 'PUT',
      body: json,
      headers: { 'content-type': 'application/json' },
    });
    const echoed = await echo(await api(request));
    expect(echoed).toMatchObject({
      method: 'PUT',
      path: '/echo/r',
      body: json,
      contentType: 'application/json',
    });
    expect(echoed.tokenId).not.toBe(revokedId);
    expect(s.auth.tokenRequests).toBe(2);
    expect(s.api.requests).toBe(2);
  });

  it('returns a second 401 to the caller', async () => {
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
    const response = await authFetch(alwaysRevoked, { origins: [s.apiUrl] })(`${s.apiUrl}/echo`, {
      method: 'POST',
      body: json,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect(s.api.requests).toBe(2);
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('does not replay a stream body nor drop its token: the next replayable request replaces it', async () => {
    const { source } = await revokedSource();
    const api = authFetch(source, { origins: [s.apiUrl] });
    const stream = new Blob(['streamed']).stream();
    const response = await api(`${s.apiUrl}/echo`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(s.api.requests).toBe(1);
    await echo(await api(`${s.apiUrl}/echo`));
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('100 concurrent requests with a revoked token cause exactly one new token request', async () => {
    const { source, revokedId } = await revokedSource();
    const api = authFetch(source, { origins: [s.apiUrl] });
    const echoed = await Promise.all(
      Array.from({ length: 100 }, async (_, i) =>
        echo(await api(`${s.apiUrl}/echo/${i}`, { method: 'POST', body: `${i}` })),
      ),
    );
    expect(s.auth.tokenRequests).toBe(2);
    expect(new Set(echoed.map((e) => e.tokenId)).size).toBe(1);
    expect(echoed[0]?.tokenId).not.toBe(revokedId);
    expect(echoed.map((e) => e.body)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
  });
});

describe('authFetch: aborts and errors', () => {
  it("one caller's abort fails only that caller, not the shared token request", async () => {
    const api = authFetch(s.source(), { origins: [s.apiUrl] });
    s.auth.faults.hang(1);
    const controller = new AbortController();
    const aborted = api(`${s.apiUrl}/echo/a`, { signal: controller.signal });
    const other = api(`${s.apiUrl}/echo/b`);
    await vi.waitFor(() => expect(s.auth.tokenRequests).toBe(1));
    controller.abort(new DOMException('caller gave up', 'AbortError'));
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    s.auth.faults.clear();
    expect((await echo(await other)).path).toBe('/echo/b');
    expect(s.auth.tokenRequests).toBe(1);
    expect(s.api.requests).toBe(1);
  });

  it('rejects with the typed token error, without the secret in it', async () => {
    const api = authFetch(s.source('svc', 'wrong-secret-value'), { origins: [s.apiUrl] });
    const error: unknown = await api(`${s.apiUrl}/echo`).catch((e: unknown) => e);
    expect(isGrantkitError(error) && [error.code, error.endpointStatus]).toEqual([
      'GRANTKIT_OAUTH_ERROR',
      401,
    ]);
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-secret-value');
    expect(s.api.requests).toBe(0);
  });

  it('refuses malformed origins at construction', () => {
    expect(() => authFetch(s.source(), { origins: ['api.acme.com'] })).toThrow(/origins/);
    expect(() => authFetch(s.source(), { origins: [] })).toThrow(/origins/);
  });
});
