import { type TokenSource, verintCoaching } from '@grantkit/core';
import { tokenProblemResponse } from '@grantkit/fetch';
import { type GrantkitEnv, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';

/** The worker's configuration, as Miniflare (or `wrangler.toml` and secrets) binds it. */
interface Bindings {
  readonly VERINT_DOMAIN: string;
  readonly AUTH_ORIGIN: string;
  readonly CLIENT_ID: string;
  readonly CLIENT_SECRET: string;
  readonly COACHING_API: string;
}

interface TransitionEvent {
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

// One source per isolate: it outlives requests, so the token is cached across them.
let source: TokenSource | undefined;
const transitions: TransitionEvent[] = [];

const sourceFor = (env: Bindings): TokenSource => {
  source ??= verintCoaching({
    domain: env.VERINT_DOMAIN,
    authOrigin: env.AUTH_ORIGIN,
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    allowInsecureRequests: true,
    retry: { attempts: 2, baseDelayMs: 250, maxDelayMs: 2_000 },
    timeoutMs: 5_000,
    onEvent: (event) => {
      if (event.type === 'transition') transitions.push({ at: event.at, from: event.from, to: event.to });
    },
  });
  return source;
};

interface WorkerEnv extends GrantkitEnv {
  Bindings: Bindings;
}

const app = new Hono<WorkerEnv>();

app.onError((error) => tokenProblemResponse(error) ?? new Response('Internal Server Error', { status: 500 }));

app.get('/__demo/transitions', (c) => c.json(transitions));
app.get('/__demo/state', (c) => c.json(source?.state ?? { status: 'empty', failures: 0 }));

// The middleware hands refresh-ahead to `c.executionCtx.waitUntil`, so it outlives the request that started it.
app.use(
  '/coaching/*',
  grantkit<{ Bindings: Bindings }>({ source: (c) => sourceFor(c.env), origins: (c) => [c.env.COACHING_API] }),
);

app.get('/coaching/*', async (c) => {
  const upstream = await c.var.grantkit.fetch(`${c.env.COACHING_API}${c.req.path}`);
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' },
  });
});

export default app;
