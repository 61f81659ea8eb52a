import type { TokenSource } from '@grantkit/core';
import createClient, { type Middleware } from 'openapi-fetch';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthMiddlewareOptions, authMiddleware } from './index.js';
import type { paths } from './test/coaching-api.gen.js';

declare const source: TokenSource;

describe('authMiddleware types', () => {
  it('is an openapi-fetch Middleware that a typed client accepts', () => {
    const middleware = authMiddleware(source, { origins: ['https://api.acme.com'] });
    expectTypeOf(middleware).toEqualTypeOf<Middleware>();
    createClient<paths>({ baseUrl: 'https://api.acme.com' }).use(middleware);
    expectTypeOf<AuthMiddlewareOptions['origins']>().toEqualTypeOf<'*' | readonly string[]>();
  });

  it('requires origins', () => {
    // @ts-expect-error origins is required
    authMiddleware(source, {});
    authMiddleware(source, { origins: '*', waitUntil: (p: Promise<unknown>) => void p });
  });
});
