import { durableObjectStore } from '@grantkit/cloudflare';
import { sourcePerTenant, verintCoaching } from '@grantkit/core';
import type { Context } from 'hono';
import type { WorkerEnv } from './bindings.js';

/** The token key from its base64 Worker secret. */
const tokenKey = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

/**
 * One token source per client id, kept at module scope: every request the isolate serves reuses the cached
 * token, and a secret rotated in `env` (a new client id) gets a source of its own. When the isolate has no
 * token, it asks the `GRANTKIT_TOKENS` Durable Object, so every isolate of the Worker shares one token
 * request per token lifetime.
 */
export const sourceFor = sourcePerTenant(
  (c: Context<WorkerEnv>) => c.env.CLIENT_ID,
  (c) =>
    verintCoaching({
      domain: c.env.VERINT_DOMAIN,
      clientId: c.env.CLIENT_ID,
      clientSecret: c.env.CLIENT_SECRET,
      tokenUrl: c.env.TOKEN_URL || undefined,
      allowInsecureRequests: c.env.ALLOW_INSECURE_REQUESTS === 'true',
      store: durableObjectStore(c.env.GRANTKIT_TOKENS, { encryptionKey: tokenKey(c.env.TOKEN_KEY) }),
    }),
);
