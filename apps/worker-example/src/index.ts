import { authProxy, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';
import type { WorkerEnv as Env } from './bindings.js';
import { sourceFor } from './source.js';

/** The Durable Object class the `GRANTKIT_TOKENS` binding names (see wrangler.toml). */
export { TokenStoreObject } from '@grantkit/cloudflare';

const app = new Hono<Env>();

// Built once, at module scope: the API's origin, the token URL and the secret are read from `c.env` per request.
// The token goes to the API's origin only.
app.use(
  '/sessions',
  grantkit<Env>({ source: sourceFor, origins: (c) => [new URL(c.env.API_BASE_URL).origin] }),
);

/** A route of the Worker's own that calls the protected API with `c.var.grantkit.fetch`. */
app.get('/sessions', async (c) => {
  const response = await c.var.grantkit.fetch(`${c.env.API_BASE_URL}/sessions?status=open`);
  return c.json({ upstreamStatus: response.status, sessions: await response.json() });
});

/** Everything under `/api/` forwarded to the protected API with the token added. */
app.all(
  '/api/*',
  authProxy<Env>({ source: sourceFor, target: (c) => c.env.API_BASE_URL, stripPrefix: '/api' }),
);

export default app;
