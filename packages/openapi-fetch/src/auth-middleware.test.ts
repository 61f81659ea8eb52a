import type { ContractBody } from '@grantkit/test-servers/contract';
import { describeClientAdapter } from '@grantkit/test-servers/contract';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import createClient from 'openapi-fetch';
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
