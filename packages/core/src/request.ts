import * as oidc from 'openid-client';
import { type BasicEncoding, clientAuth, encodingsDiffer } from './basic-auth.js';
import { type Bounds, boundedFetch, type Exchange } from './bounded-fetch.js';
import { classify } from './classify.js';
import { type ClientSecret, readSecret } from './client-secret.js';
import { discover } from './discovery.js';
import { GrantkitError, OAuthError } from './errors.js';
import type { Timing } from './schedule.js';
import { accessTokenFrom } from './token-body.js';
import type { AccessToken } from './types.js';

/** What the token request needs, already validated. */
export interface RequestSettings {
  /** The token endpoint's href: a string, as a URL object costs ~300 B per source. */
  readonly tokenUrl: string | undefined;
  readonly issuer: URL | undefined;
  readonly clientId: string;
  readonly clientSecret: ClientSecret;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
  /** A pinned Basic encoding; `undefined`: RFC 6749 first, the other one once after a refusal. */
  readonly basicEncoding: BasicEncoding | undefined;
  readonly parameters: Record<string, string>;
  readonly fetch: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly allowInsecureRequests: boolean;
}

/** The server refused the client itself: a wrong secret, or one encoded the way this server does not decode. */
const refusesClient = (error: unknown): boolean =>
  error instanceof OAuthError && (error.error === 'invalid_client' || error.error === 'unauthorized_client');

/** The server could not take the request; after a refusal, only the credentials' encoding changed. */
const isInvalidRequest = (error: unknown): boolean =>
  error instanceof OAuthError && error.error === 'invalid_request';

/**
 * Builds the function that makes one client credentials token request through openid-client and turns
 * its answer into an {@link AccessToken}, or throws a {@link GrantkitError}.
 *
 * When the server refuses the client, the secret is read once more and, if it changed, the request is
 * retried with it; then, unless the Basic encoding is pinned or already known to work, the other encoding
 * is tried once. The encoding that works is kept for the life of the source; when the other one is
 * refused too, the refusal of the first encoding is what the caller gets.
 */
export function tokenRequest(
  settings: RequestSettings,
  timing: Timing,
): (now: () => number) => Promise<AccessToken> {
  const inner = settings.fetch ?? ((input, init) => fetch(input, init));
  const bounds: Bounds = { maxBytes: settings.maxResponseBytes, timeoutMs: settings.timeoutMs };
  let known: BasicEncoding | undefined = settings.basicEncoding;
  let server: Promise<oidc.ServerMetadata> | undefined;

  const resolve = async (): Promise<oidc.ServerMetadata> => {
    const metadata = settings.issuer
      ? await discover(settings.issuer, boundedFetch(inner, bounds, {}), settings.timeoutMs)
      : { issuer: new URL(settings.tokenUrl as string).origin, token_endpoint: settings.tokenUrl as string };
    const tokenEndpoint = new URL(metadata.token_endpoint);
    if (
      tokenEndpoint.protocol !== 'https:' &&
      !(settings.allowInsecureRequests && tokenEndpoint.protocol === 'http:')
    ) {
      throw new GrantkitError('GRANTKIT_CONFIGURATION', 'the discovered token endpoint is not https:');
    }
    return metadata as oidc.ServerMetadata;
  };
  const metadata = (): Promise<oidc.ServerMetadata> =>
    (server ??= resolve().catch((error: unknown) => {
      server = undefined; // discovery failed: try again next time
      throw error;
    }));

  /** One request on the wire, with this read of the secret and this Basic encoding. */
  const attempt = async (
    secret: string,
    encoding: BasicEncoding,
    now: () => number,
  ): Promise<AccessToken> => {
    const exchange: Exchange = {};
    const config = new oidc.Configuration(
      await metadata(),
      settings.clientId,
      undefined,
      clientAuth(settings.clientAuth, encoding, secret),
    );
    config.timeout = settings.timeoutMs / 1000;
    config[oidc.customFetch] = boundedFetch(inner, bounds, exchange) as oidc.CustomFetch;
    if (settings.allowInsecureRequests) oidc.allowInsecureRequests(config);
    try {
      await oidc.clientCredentialsGrant(config, settings.parameters);
    } catch (error) {
      // openid-client refuses a 200 with an unusable expires_in, which docs/design.md answers with the default
      // lifetime: such a body goes on to our own checks, which refuse whatever else is wrong with it.
      const recheck =
        error instanceof oidc.ClientError &&
        error.code === 'OAUTH_INVALID_RESPONSE' &&
        exchange.answer?.status === 200;
      if (!recheck) throw classify(error, now(), exchange);
    }
    const token = accessTokenFrom(exchange.answer?.json, now(), timing);
    known = encoding;
    return token;
  };

  return async (now) => {
    const secret = await readSecret(settings.clientSecret);
    const encoding = known ?? 'rfc6749';
    let refusal: unknown;
    try {
      return await attempt(secret, encoding, now);
    } catch (error) {
      if (!refusesClient(error)) throw error;
      refusal = error;
    }
    const fresh = await readSecret(settings.clientSecret);
    if (fresh !== secret) {
      try {
        return await attempt(fresh, encoding, now);
      } catch (error) {
        if (!refusesClient(error)) throw error;
        refusal = error;
      }
    }
    const switchable =
      settings.clientAuth === 'client_secret_basic' &&
      known === undefined &&
      encodingsDiffer(settings.clientId, fresh);
    if (!switchable) throw refusal;
    try {
      return await attempt(fresh, encoding === 'raw' ? 'rfc6749' : 'raw', now);
    } catch (error) {
      // The other encoding is refused too, or cannot even be decoded (Keycloak 20+ on a raw `%`): the
      // credentials are wrong, and the answer to the encoding the source uses says so. Anything else (a
      // timeout, a 5xx, a bad token) is news about the retry and goes up as it is.
      throw refusesClient(error) || isInvalidRequest(error) ? refusal : error;
    }
  };
}
