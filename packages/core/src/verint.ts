import { GrantkitError } from './errors.js';
import type { ClientCredentialsOptions } from './options.js';
import { clientCredentials } from './source.js';

/**
 * Options of {@link verintCoaching}: everything {@link clientCredentials} takes, with the token URL built
 * from the tenant's `domain`.
 *
 * @example
 * ```ts
 * const options: VerintCoachingOptions = { domain: 'acme', clientId: 'svc', clientSecret: 's3cret' };
 * ```
 */
export interface VerintCoachingOptions extends Omit<ClientCredentialsOptions, 'tokenUrl' | 'issuer'> {
  /** The tenant's unique name, as Verint issued it with the credentials. */
  readonly domain: string;
  /** The authorization server's origin. Default `https://auth.{domain}`. */
  readonly authOrigin?: string | undefined;
  /** The path before `/realms`: `/auth` (default, as documented) or `''` for Keycloak 17+. */
  readonly pathPrefix?: '/auth' | '' | undefined;
  /** The whole token URL, overriding everything above. */
  readonly tokenUrl?: string | URL | undefined;
}

const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * The token URL the Verint Coaching documentation gives for a tenant:
 * `https://auth.{domain}/auth/realms/{domain}/protocol/openid-connect/token`.
 *
 * @example
 * ```ts
 * verintTokenUrl({ domain: 'acme' }); // 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token'
 * verintTokenUrl({ domain: 'acme', pathPrefix: '' }); // Keycloak 17+: no /auth
 * ```
 */
export function verintTokenUrl(
  options: Pick<VerintCoachingOptions, 'domain' | 'authOrigin' | 'pathPrefix'>,
): string {
  const { domain } = options;
  if (typeof domain === 'string' && /[:/]/.test(domain)) {
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      'domain is the tenant name, not a URL: for a full URL use authOrigin or tokenUrl',
    );
  }
  if (typeof domain !== 'string' || !DOMAIN.test(domain)) {
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      'domain must be the tenant name (letters, digits, - and .)',
    );
  }
  const origin = (options.authOrigin ?? `https://auth.${domain}`).replace(/\/+$/, '');
  const prefix = options.pathPrefix ?? '/auth';
  return `${origin}${prefix}/realms/${encodeURIComponent(domain)}/protocol/openid-connect/token`;
}

/**
 * A {@link TokenSource} for the Verint Coaching APIs: the client credentials grant against the tenant's
 * documented Keycloak token URL, with Basic client authentication.
 *
 * @example
 * ```ts
 * import { verintCoaching } from '@grantkit/core';
 *
 * const source = verintCoaching({ domain: 'acme', clientId: 'svc', clientSecret: process.env.VERINT_CLIENT_SECRET! });
 * const { accessToken } = await source.getToken();
 * ```
 */
export function verintCoaching(options: VerintCoachingOptions): ReturnType<typeof clientCredentials> {
  const { domain, authOrigin, pathPrefix, tokenUrl, ...rest } = options;
  return clientCredentials({
    ...rest,
    tokenUrl: tokenUrl ?? verintTokenUrl({ domain, authOrigin, pathPrefix }),
  });
}
