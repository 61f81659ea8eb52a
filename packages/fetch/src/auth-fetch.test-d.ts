import type { TokenSource } from '@grantkit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthFetchOptions, authFetch, type Fetch } from './index.js';

declare const source: TokenSource;

describe('authFetch types', () => {
  it('returns a function assignable to typeof fetch, with its exact signature', () => {
    const api = authFetch(source, { origins: ['https://api.acme.com'] });
    expectTypeOf(api).toExtend<typeof fetch>();
    expectTypeOf(api).parameters.toEqualTypeOf<[input: RequestInfo | URL, init?: RequestInit]>();
    expectTypeOf(api).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf<Fetch>().toExtend<AuthFetchOptions['fetch']>();
  });

  it('wraps any fetch-shaped function and requires origins', () => {
    authFetch(source, { origins: '*', fetch: globalThis.fetch });
    authFetch(source, { origins: ['https://a.example'], waitUntil: (p: Promise<unknown>) => void p });
    // @ts-expect-error origins is required
    authFetch(source, {});
    // @ts-expect-error '*' is the only string shorthand
    authFetch(source, { origins: 'https://api.acme.com' });
  });
});
