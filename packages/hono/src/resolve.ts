import type { TokenSource } from '@grantkit/core';

/**
 * A {@link TokenSource}, or a function choosing one per request (per tenant; from Workers `c.env` secrets).
 * Wrap a builder in `sourcePerTenant` so each tenant's source, and its cached token, is built once.
 *
 * @example
 * ```ts
 * const fixed: SourceOption<Context> = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const perTenant: SourceOption<Context> = sourcePerTenant((c) => c.req.header('x-tenant') ?? '', build);
 * ```
 */
export type SourceOption<Context> = TokenSource | ((context: Context) => TokenSource);

export function resolveSource<Context>(option: SourceOption<Context>, context: Context): TokenSource {
  return typeof option === 'function' ? option(context) : option;
}
