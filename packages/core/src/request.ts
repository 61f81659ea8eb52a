import * as oidc from 'openid-client';
import { classify, responseOf } from './classify.js';
import { discover, type IssuerMetadata } from './discovery.js';
import { GrantkitError } from './errors.js';
import { lifetimeMs, type Timing } from './schedule.js';
import type { AccessToken } from './types.js';

/** What the token request needs, already validated. */
export interface RequestSettings {
  /** The token endpoint's href: a string, as a URL object costs ~300 B per source. */
  readonly tokenUrl: string | undefined;
  readonly issuer: URL | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
  readonly parameters: Record<string, string>;
  readonly fetch: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly allowInsecureRequests: boolean;
}

type Loose = { [key: string]: unknown } | undefined;

/**
 * A response openid-client refused only for its `expires_in` (negative, not a number): the token itself is
 * good, and DESIGN.md wants the default lifetime rather than a failure.
 */
function recoverable(error: unknown): Loose {
  const e = error as Loose;
  const body = ((e?.['cause'] as Loose)?.['cause'] as Loose)?.['body'] as Loose;
  return e?.['code'] === 'OAUTH_INVALID_RESPONSE' &&
    /expires_in/.test(String(e?.['message']) + String((e?.['cause'] as Loose)?.['message'])) &&
    typeof body?.['access_token'] === 'string' &&
    String(body['token_type']).toLowerCase() === 'bearer'
    ? body
    : undefined;
}

/** The JSON body of an error response openid-client did not read (a 401 with a challenge). */
async function errorBody(error: unknown): Promise<Loose> {
  const response = responseOf(error);
  if (!response || response.bodyUsed || response.ok) return undefined;
  try {
    return (await response.json()) as Loose;
  } catch {
    return undefined;
  }
}

/**
 * Builds the function that makes one client credentials token request through openid-client and turns
 * its answer into an {@link AccessToken}, or throws a {@link GrantkitError}.
 */
export function tokenRequest(
  settings: RequestSettings,
  timing: Timing,
): (now: () => number) => Promise<AccessToken> {
  // Only discovered metadata is kept between requests: a Configuration is built per token request (once a
  // token lifetime), so an idle source holds no openid-client state (thousands of tenants, one each).
  let discovered: Promise<IssuerMetadata> | undefined;
  const configure = async (): Promise<oidc.Configuration> => {
    if (settings.issuer) {
      discovered ??= discover(
        settings.issuer,
        settings.fetch ?? ((input, init) => fetch(input, init)),
        settings.timeoutMs,
      );
    }
    const server = discovered
      ? await discovered
      : { issuer: new URL(settings.tokenUrl as string).origin, token_endpoint: settings.tokenUrl as string };
    const auth =
      settings.clientAuth === 'client_secret_post'
        ? oidc.ClientSecretPost(settings.clientSecret)
        : oidc.ClientSecretBasic(settings.clientSecret);
    const tokenEndpoint = new URL(server.token_endpoint);
    if (
      tokenEndpoint.protocol !== 'https:' &&
      !(settings.allowInsecureRequests && tokenEndpoint.protocol === 'http:')
    ) {
      throw new GrantkitError('GRANTKIT_CONFIGURATION', 'the discovered token endpoint is not https:');
    }
    const config = new oidc.Configuration(server as oidc.ServerMetadata, settings.clientId, undefined, auth);
    config.timeout = settings.timeoutMs / 1000;
    if (settings.fetch) config[oidc.customFetch] = settings.fetch as oidc.CustomFetch;
    if (settings.allowInsecureRequests) oidc.allowInsecureRequests(config);
    return config;
  };

  return async (now) => {
    let body: Loose;
    try {
      const configuration = configure().catch((error) => {
        discovered = undefined; // discovery failed: try again next time
        throw error;
      });
      body = (await oidc.clientCredentialsGrant(
        await configuration,
        settings.parameters,
      )) as unknown as Loose;
    } catch (error) {
      body = recoverable(error);
      if (!body)
        throw error instanceof GrantkitError ? error : classify(error, now(), await errorBody(error));
    }
    if (String(body?.['token_type']).toLowerCase() !== 'bearer') {
      throw new GrantkitError(
        'GRANTKIT_INVALID_RESPONSE',
        'token endpoint answered a token_type other than Bearer',
      );
    }
    const receivedAt = now();
    const scope = body?.['scope'];
    return {
      accessToken: body?.['access_token'] as string,
      tokenType: 'Bearer',
      expiresAt: receivedAt + lifetimeMs(body?.['expires_in'], timing),
      ...(typeof scope === 'string' && { scope }),
    };
  };
}
