import type { TokenSource } from '@grantkit/core';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthClient, type GrantkitOptions, grantkit, sourcePerTenant } from './index.js';

declare const source: TokenSource;

describe('grantkit plugin types', () => {
  it('types request.grantkit through declaration merging', () => {
    const app = Fastify();
    void app.register(grantkit, { source, origins: ['https://api.acme.com'] });
    app.get('/me', async (request) => {
      expectTypeOf(request.grantkit).toEqualTypeOf<AuthClient>();
      expectTypeOf(request.grantkit.fetch).toEqualTypeOf<typeof fetch>();
      return (await request.grantkit.fetch('https://api.acme.com/me')).json();
    });
  });

  it('takes a source per request from the Fastify request', () => {
    const perTenant = sourcePerTenant(
      (request: FastifyRequest) => String(request.headers['x-tenant']),
      () => source,
    );
    void Fastify().register(grantkit, { source: perTenant, origins: '*' });
    expectTypeOf<GrantkitOptions['problems']>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error origins is required
    void Fastify().register(grantkit, { source });
  });
});
