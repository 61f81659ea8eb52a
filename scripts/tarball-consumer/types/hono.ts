// Type-level use of @grantkit/hono (compiled by test:tarballs): c.var.grantkit is typed behind the middleware.
import { clientCredentials } from '@grantkit/core';
import { authProxy, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
export const app = new Hono()
  .use(grantkit({ source, origins: ['https://api.acme.example'] }))
  .get('/sessions', async (c) =>
    c.json(await (await c.var.grantkit.fetch('https://api.acme.example/sessions')).json()),
  )
  .all('/api/*', authProxy({ source, target: 'https://api.acme.example', stripPrefix: '/api' }));
