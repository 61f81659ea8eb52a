import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import { clientCredentials, type TokenSource } from '@grantkit/core';
import * as oidc from 'openid-client';
import { ClientCredentials } from 'simple-oauth2';
import { CLIENT_ID, CLIENT_SECRET } from './servers.js';

/** One library's way to get an access token, as a user of that library would call it. */
export interface TokenClient {
  readonly name: string;
  /** Whether concurrent callers share one token request. */
  readonly singleFlight: boolean;
  /** The object a user of the library keeps, which holds its cache (what heap per source measures). */
  readonly instance: object;
  /** The library's own call (what a warm cache hit costs); callable unbound. */
  readonly getToken: () => Promise<unknown>;
  /** The access token string, for building an `Authorization` header. */
  accessToken(): Promise<string>;
}

export type PeerName = 'grantkit' | 'oauth2-client' | 'simple-oauth2' | 'openid-client';

export const PEERS: readonly PeerName[] = ['grantkit', 'oauth2-client', 'simple-oauth2', 'openid-client'];

export const LABELS: Record<PeerName, string> = {
  grantkit: 'Grantkit `source.getToken()`',
  'oauth2-client': '@badgateway/oauth2-client `OAuth2Fetch.getToken()`',
  'simple-oauth2': 'simple-oauth2 + README-style cache',
  'openid-client': 'openid-client direct (no cache)',
};

/**
 * Grantkit's core source with default policy, on the loopback token server. `tenant` makes its
 * configuration distinct (a token request parameter): sources with identical configurations share one
 * token in a process, so one source per tenant needs one configuration per tenant.
 */
export const grantkitSource = (tokenUrl: string, tenant?: string): TokenSource =>
  clientCredentials({
    tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    allowInsecureRequests: true,
    ...(tenant !== undefined && { parameters: { tenant } }),
  });

/** Grantkit's core source with default policy. */
export function grantkit(tokenUrl: string, tenant?: string): TokenClient {
  const source = grantkitSource(tokenUrl, tenant);
  return {
    name: 'grantkit',
    singleFlight: true,
    instance: source,
    getToken: () => source.getToken(),
    accessToken: async () => (await source.getToken()).accessToken,
  };
}

/** `OAuth2Fetch` with a client credentials `getNewToken`, as its README shows. */
export function oauth2Client(tokenUrl: string): TokenClient {
  const client = new OAuth2Client({
    tokenEndpoint: tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authenticationMethod: 'client_secret_basic',
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
  return {
    name: 'oauth2-client',
    singleFlight: true,
    instance: wrapper,
    getToken: () => wrapper.getToken(),
    accessToken: async () => (await wrapper.getToken()).accessToken,
  };
}

/**
 * simple-oauth2 has no cache of its own; this is the one its README tells users to write: keep the
 * `AccessToken`, request a new one when `expired(window)`. No single flight.
 */
export function simpleOAuth2(tokenUrl: string, expirationWindowSeconds = 0): TokenClient {
  const url = new URL(tokenUrl);
  const client = new ClientCredentials({
    client: { id: CLIENT_ID, secret: CLIENT_SECRET },
    auth: { tokenHost: url.origin, tokenPath: url.pathname },
    options: { authorizationMethod: 'header' },
  });
  let cached: Awaited<ReturnType<typeof client.getToken>> | undefined;
  const getToken = async () => {
    if (!cached || cached.expired(expirationWindowSeconds)) cached = await client.getToken({});
    return cached;
  };
  return {
    name: 'simple-oauth2',
    singleFlight: false,
    instance: getToken,
    getToken,
    accessToken: async () => String((await getToken()).token['access_token']),
  };
}

/** openid-client used directly: one token request per call. */
export function openidClient(tokenUrl: string): TokenClient {
  const url = new URL(tokenUrl);
  const config = new oidc.Configuration(
    { issuer: url.origin, token_endpoint: url.href },
    CLIENT_ID,
    undefined,
    oidc.ClientSecretBasic(CLIENT_SECRET),
  );
  oidc.allowInsecureRequests(config);
  const getToken = () => oidc.clientCredentialsGrant(config);
  return {
    name: 'openid-client',
    singleFlight: false,
    instance: config,
    getToken,
    accessToken: async () => (await getToken()).access_token,
  };
}

/** A client of library `name`; `tenant` keeps Grantkit sources from sharing one token (see above). */
export function createClient(
  name: PeerName,
  tokenUrl: string,
  expirationWindowSeconds = 0,
  tenant?: string,
): TokenClient {
  switch (name) {
    case 'grantkit':
      return grantkit(tokenUrl, tenant);
    case 'oauth2-client':
      return oauth2Client(tokenUrl);
    case 'simple-oauth2':
      return simpleOAuth2(tokenUrl, expirationWindowSeconds);
    case 'openid-client':
      return openidClient(tokenUrl);
  }
}
