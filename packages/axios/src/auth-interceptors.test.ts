import { Readable } from 'node:stream';
import { type EchoResponse, useServers } from '@grantkit/test-servers';
import type { ContractBody } from '@grantkit/test-servers/contract';
import { describeClientAdapter } from '@grantkit/test-servers/contract';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import axios, { type AxiosRequestConfig, isAxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { authInterceptors } from './auth-interceptors.js';

const data = (body: ContractBody | undefined): AxiosRequestConfig => {
  if (!body) return {};
  if (body.kind === 'text') return { data: body.value, headers: { 'content-type': 'text/plain' } };
  return { data: body.value };
};

describeClientAdapter({
  name: 'authInterceptors',
  client: (source, origins) => {
    const instance = axios.create();
    authInterceptors(instance, source, { origins });
    return async (url, request = {}) => {
      const config: AxiosRequestConfig = {
        url,
        method: request.method ?? 'GET',
        headers: { ...request.headers },
        ...data(request.body),
        ...(request.signal ? { signal: request.signal } : {}),
      };
      config.headers = { ...data(request.body).headers, ...request.headers };
      try {
        const response = await instance.request(config);
        return { status: response.status, body: response.data };
      } catch (error) {
        if (isAxiosError(error) && error.response)
          return { status: error.response.status, body: error.response.data };
        throw error;
      }
    };
  },
});

describe('authInterceptors: axios idioms', () => {
  const s = useServers();
  const revokedSource = async () => {
    const source = s.source();
    s.auth.revoke((await source.getToken()).accessToken);
    return source;
  };

  it('matches the URL axios resolves from baseURL, url and params', async () => {
    const instance = axios.create({ baseURL: `${s.apiUrl}/echo` });
    authInterceptors(instance, s.source(), { origins: [`${s.apiUrl}/echo/`] });
    const { data } = await instance.get<EchoResponse>('things', { params: { page: 2 } });
    expect(data).toMatchObject({ path: '/echo/things', query: { page: '2' }, clientId: 'svc' });
  });

  it('replays a 401 that validateStatus lets through, and works on the default export; eject removes both', async () => {
    const eject = authInterceptors(axios, await revokedSource(), { origins: [s.apiUrl] });
    const response = await axios.post<EchoResponse>(
      `${s.apiUrl}/echo`,
      { a: 1 },
      { validateStatus: () => true },
    );
    eject();
    expect(response.status).toBe(200);
    expect(JSON.parse(response.data.body)).toEqual({ a: 1 });
    expect(s.auth.tokenRequests).toBe(2);
    const after = await axios.get(`${s.apiUrl}/echo`, { validateStatus: () => true });
    expect(after.status).toBe(401);
    expect(axios.interceptors.request.handlers?.filter(Boolean)).toEqual([]);
  });

  it('several instances sharing one source: 100 concurrent 401s cause one token request', async () => {
    const source = await revokedSource();
    const instances = Array.from({ length: 4 }, () => axios.create({ baseURL: s.apiUrl }));
    for (const instance of instances) authInterceptors(instance, source, { origins: [s.apiUrl] });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => instances[i % 4]?.post<EchoResponse>(`/echo/${i}`, `${i}`)),
    );
    expect(new Set(answers.map((a) => a?.data.tokenId)).size).toBe(1);
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('does not replay a stream body: the 401 reaches the caller', async () => {
    const instance = axios.create();
    authInterceptors(instance, await revokedSource(), { origins: [s.apiUrl] });
    const error: unknown = await instance
      .post(`${s.apiUrl}/echo`, Readable.from(['streamed']))
      .catch((e) => e);
    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(s.api.requests).toBe(1);
  });
  it("a config's own beforeRedirect runs on the replay's hop too, and the origins still decide the token", async () => {
    const instance = axios.create();
    authInterceptors(instance, await revokedSource(), { origins: [s.apiUrl] });
    const hops: string[] = [];
    const to = encodeURIComponent(`${s.apiUrl}/echo/next`);
    const { data } = await instance.get<EchoResponse>(`${s.apiUrl}/redirect?to=${to}`, {
      beforeRedirect: (options: { href: string; headers: Record<string, unknown> }) => {
        hops.push(options.href);
        options.headers['authorization'] = 'Bearer set-by-the-caller';
      },
    } as never);
    expect([data.path, data.tokenId]).toEqual(['/echo/next', expect.any(String)]);
    // The revoked token's 401 comes before the redirect; the replay is redirected, with the fresh token.
    expect(s.api.requestLog.map((entry) => [entry.path, entry.status])).toEqual([
      ['/redirect', 401],
      ['/redirect', 302],
      ['/echo/next', 200],
    ]);
    expect(hops).toEqual([`${s.apiUrl}/echo/next`]);
    expect(s.auth.tokenRequests).toBe(2);
  });
});

redirectRuleSuite('authInterceptors', (source, origins) => {
  const instance = axios.create({ validateStatus: () => true, responseType: 'text' });
  authInterceptors(instance, source, { origins });
  return async (url, call = {}) => {
    const response = await instance.request<string>({
      url,
      method: call.method ?? 'GET',
      data: call.body,
      ...(call.redirect === 'manual' && { maxRedirects: 0 }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers))
      if (typeof value === 'string') headers.set(name, value);
    return new Response(response.status === 204 ? null : response.data, { status: response.status, headers });
  };
});
