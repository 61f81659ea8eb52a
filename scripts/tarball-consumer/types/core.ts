// Type-level use of @grantkit/core as a consumer writes it (compiled by test:tarballs under node16 and bundler).
import {
  type AccessToken,
  clientCredentials,
  type GrantkitError,
  isGrantkitError,
  MemoryTokenStore,
  type TokenSource,
  verintCoaching,
  verintTokenUrl,
} from '@grantkit/core';

export const source: TokenSource = clientCredentials({
  tokenUrl: 'https://auth.acme.example/realms/acme/protocol/openid-connect/token',
  clientId: 'svc',
  clientSecret: 's3cret',
  store: new MemoryTokenStore(),
});
export const verint: TokenSource = verintCoaching({
  domain: 'acme',
  clientId: 'svc',
  clientSecret: 's3cret',
});
export const tokenUrl: string = verintTokenUrl({ domain: 'acme' });

export async function accessToken(): Promise<string> {
  try {
    const token: AccessToken = await source.getToken({ forceRefresh: false });
    const expiresAt: number = token.expiresAt;
    return `${token.tokenType} ${token.accessToken} ${expiresAt}`;
  } catch (error) {
    if (isGrantkitError(error)) {
      const known: GrantkitError = error;
      throw new Error(known.code);
    }
    throw error;
  }
}
