import type { TokenSource } from '@grantkit/core';
import express, { type Request } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { type GrantkitClient, type GrantkitRequest, grantkit, withGrantkit } from './index.js';

declare const source: TokenSource;

describe('req.grantkit', () => {
  it('is typed in routes written with withGrantkit', () => {
    const app = express();
    app.use(grantkit({ source, origins: ['https://api.acme.com'] }));
    app.get(
      '/',
      withGrantkit(async (req, res) => {
        expectTypeOf(req.grantkit).toEqualTypeOf<GrantkitClient>();
        expectTypeOf(req.grantkit.fetch).toEqualTypeOf<typeof fetch>();
        res.json(await (await req.grantkit.fetch('https://api.acme.com/me')).json());
      }),
    );
  });

  it('is typed through the exported request type', () => {
    express().get('/users/:id', (req, res) => {
      const typed = req as GrantkitRequest<typeof req>;
      expectTypeOf(typed.grantkit).toEqualTypeOf<GrantkitClient>();
      expectTypeOf(typed.params.id).toEqualTypeOf<string>();
      res.end();
    });
  });

  it('does not change the Request type of the app', () => {
    expectTypeOf<Request>().not.toHaveProperty('grantkit');
    express().get('/', (req, res) => {
      expectTypeOf(req).not.toHaveProperty('grantkit');
      res.end();
    });
  });
});
