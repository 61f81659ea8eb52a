import type { ClientCredentialsGetTokenOptions, TokenSource, WaitUntil } from '@grantkit/core';

/**
 * Options of the authenticating fetch. Mirrors `@grantkit/fetch`'s `authFetch` options.
 */
export interface OutboundOptions {
  readonly origins: readonly string[] | '*';
  readonly fetch?: typeof fetch | undefined;
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * The one place this package builds an authenticating fetch. A stand-in until `@grantkit/fetch` lands:
 * it adds the token for the configured origins and never overwrites a caller's `Authorization`.
 */
export function outboundFetch(source: TokenSource, options: OutboundOptions): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  const allowed = (url: URL): boolean =>
    options.origins === '*' || options.origins.some((origin) => url.href.startsWith(origin));
  return async (input, init) => {
    const request = new Request(input, init);
    if (!allowed(new URL(request.url)) || request.headers.has('authorization')) return base(request);
    const call: ClientCredentialsGetTokenOptions = { waitUntil: options.waitUntil };
    const token = await source.getToken(call);
    request.headers.set('authorization', `Bearer ${token.accessToken}`);
    return base(request);
  };
}
