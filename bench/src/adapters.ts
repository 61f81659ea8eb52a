import { grantkit as expressMiddleware, type GrantkitRequest } from '@grantkit/express';
import { authFetch } from '@grantkit/fetch';
import { type GrantkitEnv, grantkit as honoMiddleware } from '@grantkit/hono';
import express from 'express';
import { Hono } from 'hono';
import type { AuthFetchFactory } from './parts/auth-fetch-overhead.js';
import type { ServiceVariant } from './parts/middleware-overhead.js';
import type { Sender } from './parts/request-overhead.js';
import type { SizeSubject } from './parts/size.js';
import { grantkitSource } from './peers.js';
import { expressService, honoService } from './services.js';

/** `authFetch` from @grantkit/fetch, configured for the resource server's origin. */
export async function authFetchSender(tokenUrl: string, apiUrl: string): Promise<Sender> {
  const source = grantkitSource(tokenUrl);
  await source.getToken();
  const api = authFetch(source, { origins: [apiUrl] });
  return {
    name: 'authFetch',
    label: 'Grantkit `authFetch` (@grantkit/fetch)',
    grantkit: true,
    send: (u) => api(u),
  };
}

/** `authFetch` over a given transport, for the in-process overhead part. */
export const authFetchOver: AuthFetchFactory = (source, origin, transport) =>
  authFetch(source, { origins: [origin], fetch: transport });

/** A Hono service using the @grantkit/hono middleware and `c.var.grantkit.fetch`. */
export const honoMiddlewareVariant: ServiceVariant = {
  framework: 'Hono',
  name: 'grantkit',
  label: 'Hono + `grantkit()` middleware, `c.var.grantkit.fetch`',
  grantkit: true,
  start: async (apiUrl, tokenUrl) => {
    const source = grantkitSource(tokenUrl);
    await source.getToken();
    const app = new Hono<GrantkitEnv>();
    app.use(honoMiddleware({ source, origins: [apiUrl] }));
    app.get('/call', async (c) => {
      const res = await c.var.grantkit.fetch(`${apiUrl}/echo`);
      return c.json(await res.json(), res.status as 200);
    });
    return honoService(apiUrl, app as unknown as Hono);
  },
};

/** An Express service using the @grantkit/express middleware and `req.grantkit.fetch`. */
export const expressMiddlewareVariant: ServiceVariant = {
  framework: 'Express',
  name: 'grantkit',
  label: 'Express + `grantkit()` middleware, `req.grantkit.fetch`',
  grantkit: true,
  start: async (apiUrl, tokenUrl) => {
    const source = grantkitSource(tokenUrl);
    await source.getToken();
    const app = express();
    app.use(expressMiddleware({ source, origins: [apiUrl] }));
    app.get('/call', async (req, res) => {
      const upstream = await (req as GrantkitRequest).grantkit.fetch(`${apiUrl}/echo`);
      res.status(upstream.status).json(await upstream.json());
    });
    return expressService(app);
  },
};

export const ADAPTER_SIZES: SizeSubject[] = [
  {
    subject: '@grantkit/fetch — `authFetch` + `clientCredentials`',
    imports: { '@grantkit/fetch': '{ authFetch }', '@grantkit/core': '{ clientCredentials }' },
    platform: 'browser',
    grantkit: true,
    note: 'core included',
  },
  {
    subject: '@grantkit/hono — `grantkit` middleware + `clientCredentials`',
    imports: { '@grantkit/hono': '{ grantkit }', '@grantkit/core': '{ clientCredentials }' },
    platform: 'browser',
    grantkit: true,
    external: ['hono', 'hono/*'],
    note: 'core + fetch included; hono external',
  },
  {
    subject: '@grantkit/ky — `authHooks` + `clientCredentials`',
    imports: { '@grantkit/ky': '{ authHooks }', '@grantkit/core': '{ clientCredentials }' },
    platform: 'browser',
    grantkit: true,
    external: ['ky'],
    note: 'core included; ky external',
  },
  {
    subject: '@grantkit/express — `grantkit` middleware + `clientCredentials`',
    imports: { '@grantkit/express': '{ grantkit }', '@grantkit/core': '{ clientCredentials }' },
    platform: 'node',
    grantkit: true,
    external: ['express'],
    note: 'Node; core + fetch included; express external',
  },
];
