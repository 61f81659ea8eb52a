import type { TokenSource } from '@grantkit/core';
import { type Context, Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { type GrantkitClient, type GrantkitEnv, grantkit } from './index.js';

declare const source: TokenSource;

describe('c.var.grantkit', () => {
  it('is typed in the routes behind the middleware', () => {
    new Hono().use(grantkit({ source, origins: '*' })).get('/', (c) => {
      expectTypeOf(c.var.grantkit).toEqualTypeOf<GrantkitClient>();
      expectTypeOf(c.get('grantkit').fetch).toEqualTypeOf<typeof fetch>();
      return c.text('ok');
    });
    new Hono().get('/', grantkit({ source, origins: '*' }), (c) => {
      expectTypeOf(c.var.grantkit).toEqualTypeOf<GrantkitClient>();
      return c.text('ok');
    });
  });

  it('is absent where the middleware does not run', () => {
    const app = new Hono();
    app.use(grantkit({ source, origins: '*' }));
    app.get('/', (c) => {
      expectTypeOf(c.var).not.toHaveProperty('grantkit');
      return c.text('ok');
    });
  });

  it('types the source resolver and onError with the app’s bindings', () => {
    type Workers = { Bindings: { CLIENT_SECRET: string } };
    new Hono<Workers>()
      .use(
        grantkit<Workers>({
          source: (c) => {
            expectTypeOf(c.env.CLIENT_SECRET).toEqualTypeOf<string>();
            return source;
          },
          origins: ['https://api.acme.com'],
          onError: (error, c) => c.json({ code: error.code }, 503),
        }),
      )
      .get('/', (c) => {
        expectTypeOf(c.env.CLIENT_SECRET).toEqualTypeOf<string>();
        expectTypeOf(c.var.grantkit).toEqualTypeOf<GrantkitClient>();
        return c.text('ok');
      });
  });

  it('lets a handler declared apart ask for the variable', () => {
    const handler = (c: Context<GrantkitEnv>) => c.var.grantkit.getToken();
    new Hono()
      .use(grantkit({ source, origins: '*' }))
      .get('/', async (c) => c.text((await handler(c)).tokenType));
  });
});
