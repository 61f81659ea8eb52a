import { GrantkitError } from './errors.js';
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
  /**
   * How many tenants' sources are kept; the least recently used goes first. A finite integer ≥ 1 (anything
   * else, such as `NaN` from an unset variable, is a `GRANTKIT_CONFIGURATION` error). Default 100.
   */
  readonly maxTenants?: number | undefined;
}

/**
 * Resolves a {@link TokenSource} per tenant, built once per tenant key and kept in a bounded
 * least-recently-used cache, so a multi-tenant service (or a Worker building sources from `env` secrets)
 * keeps each tenant's cached token across requests instead of requesting one per request.
 *
 * @example
 * ```ts
 * // Key on the tenant your authentication established, never on a header any caller can set.
 * const sourceFor = sourcePerTenant(
 *   (c: Context) => c.get('jwtPayload').tenant,
 *   (c) => clientCredentials({ ...credentialsOf(c.get('jwtPayload').tenant), tokenUrl: c.env.TOKEN_URL }),
 * );
 * app.use(grantkit({ source: sourceFor, origins: ['https://api.acme.com'] }));
 * ```
 */
export function sourcePerTenant<Context>(
  keyOf: (context: Context) => string,
  build: (context: Context) => TokenSource,
  options: SourcePerTenantOptions = {},
): (context: Context) => TokenSource {
  const maxTenants = options.maxTenants ?? 100;
  if (typeof maxTenants !== 'number' || !Number.isInteger(maxTenants) || maxTenants < 1) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'maxTenants must be a finite integer >= 1');
  }
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
