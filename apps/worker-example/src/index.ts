import { authProxy, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';
import type { WorkerEnv as Env } from './bindings.js';
import { sourceFor } from './source.js';

/** The Durable Object class the `GRANTKIT_TOKENS` binding names (see wrangler.toml). */
export { TokenStoreObject } from '@grantkit/cloudflare';

const app = new Hono<Env>();

// The token goes to the API's origin only; the middleware is built per request because the origin is in env.
app.use('/sessions', (c, next) =>
  grantkit<Env>({ source: sourceFor, origins: [new URL(c.env.API_BASE_URL).origin] })(c, next),
);

/** A route of the Worker's own that calls the protected API with `c.var.grantkit.fetch`. */
app.get('/sessions', async (c) => {
  const response = await c.var.grantkit.fetch(`${c.env.API_BASE_URL}/sessions?status=open`);
  return c.json({ upstreamStatus: response.status, sessions: await response.json() });
});

/** Everything under `/api/` forwarded to the protected API with the token added. */
app.all('/api/*', (c, next) =>
  authProxy<Env>({ source: sourceFor, target: c.env.API_BASE_URL, stripPrefix: '/api' })(c, next),
);

export default app;
