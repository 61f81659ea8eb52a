import { sourcePerTenant, verintCoaching } from '@grantkit/core';
import type { Context } from 'hono';
import type { WorkerEnv } from './bindings.js';

/**
 * One token source per client id, kept at module scope: every request the isolate serves reuses the cached
 * token, and a secret rotated in `env` (a new client id) gets a source of its own.
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
    }),
);
