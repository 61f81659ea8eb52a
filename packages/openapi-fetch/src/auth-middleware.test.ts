import { useServers } from '@grantkit/test-servers';
import type { ContractBody } from '@grantkit/test-servers/contract';
import { describeClientAdapter } from '@grantkit/test-servers/contract';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { authMiddleware } from './auth-middleware.js';

/** A contract body as openapi-fetch takes it: JSON by default, anything else through `bodySerializer`. */
const body = (sent: ContractBody | undefined): Record<string, unknown> => {
  if (!sent) return {};
  if (sent.kind === 'json') return { body: sent.value };
  const contentType = sent.kind === 'text' ? { 'content-type': 'text/plain' } : {};
  return { body: sent.value, bodySerializer: (value: unknown) => value, headers: contentType };
};

describeClientAdapter({
  name: 'authMiddleware',
  client: (source, origins) => {
    // Untyped here: the contract calls arbitrary URLs. The typed client is in typed-client.test.ts.
    const client = createClient<Record<string, never>>({ baseUrl: '' });
    client.use(authMiddleware(source, { origins }));
    return async (url, request = {}) => {
      const sent = body(request.body);
      const { response, data, error } = await client.request(
        (request.method ?? 'GET').toLowerCase() as 'get',
        url as never,
        {
          ...sent,
          headers: { ...(sent['headers'] as object), ...request.headers },
          ...(request.signal ? { signal: request.signal } : {}),
        } as never,
      );
      return { status: response.status, body: data ?? error };
    };
  },
});

redirectRuleSuite('authMiddleware', (source, origins) => {
  const client = createClient<Record<string, never>>({ baseUrl: '' });
  client.use(authMiddleware(source, { origins }));
  return async (url, call = {}) => {
    const { response } = await client.request(
      (call.method ?? 'GET').toLowerCase() as 'get',
      url as never,
      {
        ...(call.body !== undefined && { body: call.body, bodySerializer: (value: unknown) => value }),
        ...(call.redirect && { redirect: call.redirect }),
        parseAs: 'stream',
      } as never,
    );
    return response;
  };
});

describe('authMiddleware: a redirected body too large to resend', () => {
  const s = useServers();

  it('a 307 of a body over 1 MiB is the answer, not resent; a small one is resent', async () => {
    const client = createClient<Record<string, never>>({ baseUrl: '' });
    client.use(authMiddleware(s.source(), { origins: [s.apiUrl] }));
    const put = (body: string) =>
      client.request(
        'put' as 'get',
        `${s.apiUrl}/redirect?to=/echo/next&status=307` as never,
        {
          body,
          bodySerializer: (value: unknown) => value,
          parseAs: 'stream',
        } as never,
      );
    const large = await put('x'.repeat(1_048_577));
    expect([large.response.status, large.response.headers.get('location')]).toEqual([307, '/echo/next']);
    const small = await put('kept');
    expect(small.response.status).toBe(200);
    expect(s.api.requestLog.map((entry) => [entry.path, entry.status])).toEqual([
      ['/redirect', 307],
      ['/redirect', 307],
      ['/echo/next', 200],
    ]);
  });
});
