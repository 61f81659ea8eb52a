import type { TokenSource } from '@grantkit/core';
import type { Request } from 'express';

/**
 * A {@link TokenSource}, or a function choosing one per request (per tenant, say from a header or the
 * authenticated user). Wrap a builder in `sourcePerTenant` so each tenant's source, and its cached token,
 * is built once.
 *
 * @example
 * ```ts
 * const fixed: SourceOption = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const perTenant: SourceOption = sourcePerTenant((req: Request) => req.get('x-tenant') ?? '', build);
 * ```
 */
export type SourceOption = TokenSource | ((req: Request) => TokenSource);

export function resolveSource(option: SourceOption, req: Request): TokenSource {
  return typeof option === 'function' ? option(req) : option;
}
