import { GrantkitError } from './errors.js';

/** What client credentials needs from an issuer's metadata. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly [name: string]: string | number | boolean | null | object | undefined;
}

const bare = (url: string): string => url.replace(/\/+$/, '');
const unusable = (why: string, status?: number): GrantkitError =>
  new GrantkitError('GRANTKIT_INVALID_RESPONSE', `issuer discovery failed: ${why}`, {
    status,
    retryable: status === undefined || status >= 500 || status === 429,
  });

/**
 * OpenID Connect discovery of the token endpoint: `GET {issuer}/.well-known/openid-configuration`, whose
 * `issuer` must be the one asked for. Only the token endpoint is needed for client credentials, so this
 * stays far smaller than a full discovery client; the token request itself still goes through
 * openid-client.
 */
export async function discover(
  issuer: URL,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<IssuerMetadata> {
  const response = await fetchImpl(`${bare(issuer.href)}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw unusable(`HTTP ${response.status}`, response.status);
  const metadata = (await response.json().catch(() => undefined)) as Partial<IssuerMetadata> | undefined;
  if (typeof metadata?.issuer !== 'string' || bare(metadata.issuer) !== bare(issuer.href)) {
    throw unusable('the metadata names another issuer', response.status);
  }
  if (typeof metadata.token_endpoint !== 'string') throw unusable('no token_endpoint', response.status);
  return metadata as IssuerMetadata;
}
