import type { Origins, TokenSource } from '@grantkit/core';
import { useServers } from '@grantkit/test-servers';
import {
  type ContractBody,
  type ContractRequest,
  type ContractResponse,
  describeClientAdapter,
} from '@grantkit/test-servers/contract';
import { redirectRuleSuite } from '@grantkit/test-servers/redirect-suite';
import {
  Agent,
  getGlobalDispatcher,
  interceptors,
  setGlobalDispatcher,
  FormData as UndiciFormData,
  fetch as undiciFetch,
  request as undiciRequest,
} from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { authInterceptor } from './auth-interceptor.js';

const original = getGlobalDispatcher();
afterAll(() => setGlobalDispatcher(original));

const composed = (source: TokenSource, origins: Origins) =>
  new Agent().compose(authInterceptor(source, { origins }));

/** A contract body as fetch's `body` and its content type. */
const fetchBody = (body: ContractBody | undefined): { body?: BodyInit; headers?: Record<string, string> } => {
  if (!body) return {};
  if (body.kind === 'json')
    return { body: JSON.stringify(body.value), headers: { 'content-type': 'application/json' } };
  return { body: body.value };
};

/** undici's classes do not recognise another undici's (Node's global) FormData: rebuild it with undici's. */
const undiciForm = (form: FormData): UndiciFormData => {
  const copy = new UndiciFormData();
  for (const [name, value] of form) copy.append(name, value as string);
  return copy;
};

const viaFetch =
  (send: (url: string, init: RequestInit) => Promise<Response>) =>
  async (url: string, request: ContractRequest = {}): Promise<ContractResponse> => {
    const { body, headers } = fetchBody(request.body);
    const response = await send(url, {
      method: request.method ?? 'GET',
      headers: { ...headers, ...request.headers },
      ...(body === undefined ? {} : { body }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };

const cause = (error: unknown): unknown => (error as { cause?: unknown }).cause;

describe("Node's built-in fetch through the global dispatcher", () => {
  describeClientAdapter({
    name: 'global fetch',
    client: (source, origins) => {
      setGlobalDispatcher(composed(source, origins));
      return viaFetch((url, init) => globalThis.fetch(url, init));
    },
    tokenError: cause,
  });
});

describe("undici's fetch with the composed dispatcher", () => {
  describeClientAdapter({
    name: 'undici fetch',
    client: (source, origins) => {
      const dispatcher = composed(source, origins);
      return viaFetch(async (url, init) => {
        const body = init.body instanceof FormData ? undiciForm(init.body) : init.body;
        return (await undiciFetch(url, {
          ...(init as object),
          body: body as never,
          dispatcher,
        })) as unknown as Response;
      });
    },
    tokenError: cause,
  });
});

describe("undici's request with the composed dispatcher", () => {
  describeClientAdapter({
    name: 'undici request',
    client: (source, origins) => {
      const dispatcher = composed(source, origins);
      return async (url, request = {}) => {
        const body = request.body;
        const sent =
          body?.kind === 'json'
            ? { body: JSON.stringify(body.value), type: 'application/json' }
            : body?.kind === 'form'
              ? { body: body.value.toString(), type: 'application/x-www-form-urlencoded' }
              : body?.kind === 'multipart'
                ? { body: undiciForm(body.value), type: undefined }
                : body
                  ? { body: body.value, type: 'text/plain' }
                  : undefined;
        const response = await undiciRequest(url, {
          dispatcher,
          method: (request.method ?? 'GET') as 'GET',
          headers: { ...(sent?.type ? { 'content-type': sent.type } : {}), ...request.headers },
          ...(sent ? { body: sent.body as string } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const text = await response.body.text();
        const json = String(response.headers['content-type']).includes('json');
        return { status: response.statusCode, body: json ? JSON.parse(text) : text };
      };
    },
  });
});

// fetch follows redirects above the dispatcher: each hop is a dispatch of its own, which the interceptor
// judges again, so the rule holds without the interceptor following anything itself.
redirectRuleSuite('authInterceptor with undici fetch', (source, origins) => {
  const dispatcher = composed(source, origins);
  return async (url, call = {}) =>
    (await undiciFetch(url, { ...call, dispatcher } as never)) as unknown as Response;
});

describe("authInterceptor and undici's redirect interceptor", () => {
  const s = useServers();

  it('composed before it (inside), the redirect interceptor does not follow a token-carrying request', async () => {
    const dispatcher = new Agent().compose(
      interceptors.redirect({ maxRedirections: 3 }),
      authInterceptor(s.source(), { origins: [`${s.openUrl}/coaching/`] }),
    );
    const answer = await undiciRequest(`${s.openUrl}/coaching/redirect?to=/admin`, { dispatcher });
    await answer.body.dump();
    expect([answer.statusCode, answer.headers['location']]).toEqual([302, '/admin']);
  });

  it('composed after it (outside), each hop goes through the auth interceptor: the token stays within the prefix', async () => {
    const dispatcher = new Agent().compose(
      authInterceptor(s.source(), { origins: [`${s.openUrl}/coaching/`] }),
      interceptors.redirect({ maxRedirections: 3 }),
    );
    const hop = async (to: string) => {
      const url = `${s.openUrl}/coaching/redirect?to=${to}`;
      return (await (await undiciRequest(url, { dispatcher })).body.json()) as {
        authorization: string | null;
      };
    };
    expect((await hop('/admin')).authorization).toBeNull();
    expect((await hop('/coaching/v1')).authorization).toMatch(/^Bearer ey/);
  });
});
