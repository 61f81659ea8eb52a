import type { TokenSource } from './types.js';

/**
 * Options of {@link sourcePerTenant}.
 *
 * @example
 * ```ts
 * sourcePerTenant(keyOf, build, { maxTenants: 50 });
 * ```
 */
export interface SourcePerTenantOptions {
  /** How many tenants' sources are kept; the least recently used goes first. Default 100. */
  readonly maxTenants?: number | undefined;
}

/**
 * Resolves a {@link TokenSource} per tenant, built once per tenant key and kept in a bounded
 * least-recently-used cache, so a multi-tenant service (or a Worker building sources from `env` secrets)
 * keeps each tenant's cached token across requests instead of requesting one per request.
 *
 * @example
 * ```ts
 * const sourceFor = sourcePerTenant(
 *   (c: Context) => c.req.header('x-tenant') ?? 'default',
 *   (c) => clientCredentials({ tokenUrl: c.env.TOKEN_URL, clientId: c.env.CLIENT_ID, clientSecret: c.env.CLIENT_SECRET }),
 * );
 * app.use(grantkit({ source: sourceFor, origins: ['https://api.acme.com'] }));
 * ```
 */
export function sourcePerTenant<Context>(
  keyOf: (context: Context) => string,
  build: (context: Context) => TokenSource,
  options: SourcePerTenantOptions = {},
): (context: Context) => TokenSource {
  const maxTenants = Math.max(1, Math.floor(options.maxTenants ?? 100));
  const sources = new Map<string, TokenSource>();
  return (context) => {
    const key = keyOf(context);
    let source = sources.get(key);
    if (source) sources.delete(key);
    else source = build(context);
    sources.set(key, source);
    if (sources.size > maxTenants) {
      const oldest = sources.keys().next();
      if (!oldest.done) sources.delete(oldest.value);
    }
    return source;
  };
}
