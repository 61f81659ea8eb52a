import { durableObjectStore, type TokenStoreNamespace } from '@grantkit/cloudflare';
import { type TokenSource, verintCoaching } from '@grantkit/core';
import { tokenProblemResponse } from '@grantkit/fetch';
import { type GrantkitEnv, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';

/** The Durable Object class the `GRANTKIT_TOKENS` binding names: one token for every isolate. */
export { TokenStoreObject } from '@grantkit/cloudflare';

/** The worker's configuration, as Miniflare (or `wrangler.toml` and secrets) binds it. */
interface Bindings {
  readonly VERINT_DOMAIN: string;
  readonly AUTH_ORIGIN: string;
  readonly CLIENT_ID: string;
  readonly CLIENT_SECRET: string;
  readonly COACHING_API: string;
  /** The namespace of `TokenStoreObject` that every isolate of the demo shares. */
  readonly GRANTKIT_TOKENS: TokenStoreNamespace;
  /** 32 random bytes, base64: seals the tokens the Durable Object keeps. */
  readonly TOKEN_KEY: string;
}

interface TransitionEvent {
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

/** Where this isolate's tokens came from: its own token requests, or the Durable Object. */
interface TokenOrigins {
  requested: number;
  fromStore: number;
}

// One source per isolate: it outlives requests, so the token is cached across them.
let source: TokenSource | undefined;
const transitions: TransitionEvent[] = [];
const tokenOrigins: TokenOrigins = { requested: 0, fromStore: 0 };

const tokenKey = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

const sourceFor = (env: Bindings): TokenSource => {
  source ??= verintCoaching({
    domain: env.VERINT_DOMAIN,
    authOrigin: env.AUTH_ORIGIN,
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    allowInsecureRequests: true,
    retry: { attempts: 2, baseDelayMs: 250, maxDelayMs: 2_000 },
    timeoutMs: 5_000,
    // Asked only when this isolate has no usable token: another isolate may already have stored one.
    store: durableObjectStore(env.GRANTKIT_TOKENS, { encryptionKey: tokenKey(env.TOKEN_KEY) }),
    onEvent: (event) => {
      if (event.type === 'transition') transitions.push({ at: event.at, from: event.from, to: event.to });
      if (event.type === 'token-response') {
        if (event.fromStore) tokenOrigins.fromStore += 1;
        else tokenOrigins.requested += 1;
      }
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
app.get('/__demo/store', (c) => c.json(tokenOrigins));

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
