import type { Origins, TokenSource } from '@grantkit/core';
import {
  type ContractBody,
  type ContractRequest,
  type ContractResponse,
  describeClientAdapter,
} from '@grantkit/test-servers/contract';
import {
  Agent,
  getGlobalDispatcher,
  setGlobalDispatcher,
  FormData as UndiciFormData,
  fetch as undiciFetch,
  request as undiciRequest,
} from 'undici';
import { afterAll, describe } from 'vitest';
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
