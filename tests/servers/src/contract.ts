import { isGrantkitError, type Origins, type TokenSource } from '@grantkit/core';
import { describe, expect, it, vi } from 'vitest';
import { type EchoResponse, useServers } from './index.js';

/** One request as a client adapter's test sends it through its library. */
export interface ContractRequest {
  readonly method?: string;
  readonly body?: ContractBody;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** The bodies every client adapter must replay after a 401: each library sends them in its own idiom. */
export type ContractBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'form'; readonly value: URLSearchParams }
  | { readonly kind: 'multipart'; readonly value: FormData };

/** What came back: the status and the parsed JSON body (or text). */
export interface ContractResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A client adapter under test: `client` builds the library's client with the adapter installed. */
export interface ClientAdapterUnderTest {
  readonly name: string;
  client(
    source: TokenSource,
    origins: Origins,
  ): (url: string, request?: ContractRequest) => Promise<ContractResponse>;
  /** The `GrantkitError` a failed call rejected with (the library may wrap it, as fetch does in `cause`). */
  readonly tokenError?: (error: unknown) => unknown;
}

const jti = (accessToken: string): unknown =>
  JSON.parse(atob((accessToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))).jti;

const multipart = (): FormData => {
  const data = new FormData();
  data.set('field', 'value');
  data.set('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt');
  return data;
};

const bodies: [string, () => ContractBody, (echoed: EchoResponse) => void][] = [
  [
    'JSON',
    () => ({ kind: 'json', value: { hello: 'world', n: 1 } }),
    (e) => expect(JSON.parse(e.body)).toEqual({ hello: 'world', n: 1 }),
  ],
  ['a string', () => ({ kind: 'text', value: 'plain words' }), (e) => expect(e.body).toBe('plain words')],
  [
    'URLSearchParams',
    () => ({ kind: 'form', value: new URLSearchParams('a=1&b=2') }),
    (e) => expect(e.body).toBe('a=1&b=2'),
  ],
  [
    'FormData',
    () => ({ kind: 'multipart', value: multipart() }),
    (e) => {
      expect(e.contentType).toMatch(/^multipart\/form-data; ?boundary=/);
      expect(e.body).toContain('file body');
      expect(e.body).toContain('value');
    },
  ],
];

/**
 * The rules every client adapter keeps, run against the loopback servers through the adapter's library:
 * origins, the caller's `Authorization`, the replay after a 401 with each body kind, a second 401, the
 * 401 storm, concurrency, aborts and token errors.
 */
export function describeClientAdapter(adapter: ClientAdapterUnderTest): void {
  const s = useServers();
  const echo = (response: ContractResponse): EchoResponse => {
    expect(response.status).toBe(200);
    return response.body as EchoResponse;
  };
  const revoked = async (): Promise<{ source: TokenSource; revokedId: unknown }> => {
    const source = s.source();
    const { accessToken } = await source.getToken();
    s.auth.revoke(accessToken);
    return { source, revokedId: jti(accessToken) };
  };

  describe(`${adapter.name}: which requests carry the token`, () => {
    it('adds the token for a listed origin only, and asks for no token otherwise', async () => {
      const call = adapter.client(s.source(), [s.apiUrl]);
      const open = (await call(`${s.openUrl}/x`)).body as { authorization: string | null };
      expect(open.authorization).toBeNull();
      expect(s.auth.tokenRequests).toBe(0);
      const body = echo(await call(`${s.apiUrl}/echo/things?x=1`));
      expect(body.tokenId).toBeTypeOf('string');
      expect(body.query).toEqual({ x: '1' });
      expect(s.auth.tokenRequests).toBe(1);
    });

    it('sends the token only under a listed URL prefix', async () => {
      const call = adapter.client(s.source(), [`${s.openUrl}/coaching/`]);
      const seen = async (path: string) =>
        ((await call(`${s.openUrl}${path}`)).body as { authorization: string | null }).authorization;
      expect(await seen('/coaching/v1')).toMatch(/^Bearer ey/);
      expect(await seen('/coachingx')).toBeNull();
    });

    it("leaves the caller's Authorization header untouched", async () => {
      const call = adapter.client(s.source(), '*');
      const seen = (await call(`${s.openUrl}/a`, { headers: { Authorization: 'Basic abc' } })).body as {
        authorization: string | null;
      };
      expect(seen.authorization).toBe('Basic abc');
      expect(s.auth.tokenRequests).toBe(0);
    });
  });

  describe(`${adapter.name}: replay on 401`, () => {
    it.each(bodies)(
      'revoked token: one token request and one replay with %s intact',
      async (_, body, check) => {
        const { source, revokedId } = await revoked();
        const call = adapter.client(source, [s.apiUrl]);
        const echoed = echo(
          await call(`${s.apiUrl}/echo`, { method: 'POST', body: body(), headers: { 'x-trace': 't1' } }),
        );
        check(echoed);
        expect(echoed.method).toBe('POST');
        expect(echoed.headers['x-trace']).toBe('t1');
        expect(echoed.tokenId).not.toBe(revokedId);
        expect(s.auth.tokenRequests).toBe(2);
        expect([s.api.requests, s.api.unauthorized]).toEqual([2, 1]);
      },
    );

    it('returns a second 401 to the caller', async () => {
      const call = adapter.client(s.source(), [s.apiUrl]);
      const response = await call(`${s.apiUrl}/refuses/x`, {
        method: 'POST',
        body: { kind: 'text', value: 'x' },
      });
      expect(response.status).toBe(401);
      expect(s.api.requests).toBe(2);
      expect(s.auth.tokenRequests).toBe(2);
    });

    it('a path that always answers 401 costs at most 2 token requests, however often it is called', async () => {
      const call = adapter.client(s.source(), [s.apiUrl]);
      for (let i = 0; i < 5; i += 1) expect((await call(`${s.apiUrl}/refuses/x`)).status).toBe(401);
      expect(s.auth.tokenRequests).toBeLessThanOrEqual(2);
      expect(echo(await call(`${s.apiUrl}/echo`)).path).toBe('/echo');
    });

    it('100 concurrent requests with a revoked token cause exactly one new token request', async () => {
      const { source, revokedId } = await revoked();
      const call = adapter.client(source, [s.apiUrl]);
      const echoed = await Promise.all(
        Array.from({ length: 100 }, async (_, i) =>
          echo(
            await call(`${s.apiUrl}/echo/${i}`, { method: 'POST', body: { kind: 'text', value: `${i}` } }),
          ),
        ),
      );
      expect(s.auth.tokenRequests).toBe(2);
      expect(new Set(echoed.map((e) => e.tokenId)).size).toBe(1);
      expect(echoed[0]?.tokenId).not.toBe(revokedId);
      expect(echoed.map((e) => e.body)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
    });
  });

  describe(`${adapter.name}: aborts and errors`, () => {
    it("one caller's abort fails only that caller, not the shared token request", async () => {
      const call = adapter.client(s.source(), [s.apiUrl]);
      s.auth.faults.hang(1);
      const controller = new AbortController();
      const aborted = call(`${s.apiUrl}/echo/a`, { signal: controller.signal });
      const other = call(`${s.apiUrl}/echo/b`);
      await vi.waitFor(() => expect(s.auth.tokenRequests).toBe(1));
      controller.abort(new DOMException('caller gave up', 'AbortError'));
      await expect(aborted).rejects.toBeDefined();
      s.auth.faults.clear();
      expect(echo(await other).path).toBe('/echo/b');
      expect(s.auth.tokenRequests).toBe(1);
      expect(s.api.requests).toBe(1);
    });

    it('rejects with the typed token error, without the secret in it', async () => {
      const call = adapter.client(s.source('svc', 'wrong-secret-value'), [s.apiUrl]);
      const thrown: unknown = await call(`${s.apiUrl}/echo`).catch((e: unknown) => e);
      const error = adapter.tokenError ? adapter.tokenError(thrown) : thrown;
      expect(isGrantkitError(error) && [error.code, error.endpointStatus]).toEqual([
        'GRANTKIT_OAUTH_ERROR',
        401,
      ]);
      expect(JSON.stringify(error) + String(error)).not.toContain('wrong-secret-value');
      expect(s.api.requests).toBe(0);
    });
  });
}
