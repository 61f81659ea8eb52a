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
  readonly timing: Timing;
}

/** The server refused the client itself: a wrong secret, or one encoded the way this server does not decode. */
const refusesClient = (error: unknown): boolean =>
  error instanceof OAuthError && (error.error === 'invalid_client' || error.error === 'unauthorized_client');

/** The server could not take the request; after a refusal, only the credentials' encoding changed. */
const isInvalidRequest = (error: unknown): boolean =>
  error instanceof OAuthError && error.error === 'invalid_request';

/** The global fetch, looked up at each call (so a runtime's or a test's later replacement is used). */
const globalFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * The token endpoint of one source, as the source learnt to talk to it: makes one client credentials
 * token request through openid-client and turns its answer into an {@link AccessToken}, or throws a
 * {@link GrantkitError}.
 *
 * When the server refuses the client, the secret is read once more and, if it changed, the request is
 * retried with it; then, unless the Basic encoding is pinned or already known to work, the other encoding
 * is tried once; when the other one is refused too, the refusal of the first encoding is what the caller
 * gets. Between requests it keeps only what it learnt: the encoding that works (for the life of the
 * source) and, with an `issuer`, the discovered metadata.
 */
export class TokenEndpoint {
  readonly #settings: RequestSettings;
  /** The Basic encoding that worked, or the pinned one. */
  #known: BasicEncoding | undefined;
  /** With an `issuer`: its metadata, discovered once (again after a failure). */
  #discovered: Promise<oidc.ServerMetadata> | undefined;

  constructor(settings: RequestSettings) {
    this.#settings = settings;
    this.#known = settings.basicEncoding;
  }

  /** One token request, with the retries a client refusal allows (above). `now` reads the source's clock. */
  async request(now: () => number): Promise<AccessToken> {
    const { clientSecret, clientAuth: method, clientId } = this.#settings;
    const secret = await readSecret(clientSecret);
    const encoding = this.#known ?? 'rfc6749';
    let refusal: unknown;
    try {
      return await this.#attempt(secret, encoding, now);
    } catch (error) {
      if (!refusesClient(error)) throw error;
      refusal = error;
    }
    const fresh = await readSecret(clientSecret);
    if (fresh !== secret) {
      try {
        return await this.#attempt(fresh, encoding, now);
      } catch (error) {
        if (!refusesClient(error)) throw error;
        refusal = error;
      }
    }
    const switchable =
      method === 'client_secret_basic' && this.#known === undefined && encodingsDiffer(clientId, fresh);
    if (!switchable) throw refusal;
    try {
      return await this.#attempt(fresh, encoding === 'raw' ? 'rfc6749' : 'raw', now);
    } catch (error) {
      // The other encoding is refused too, or cannot even be decoded (Keycloak 20+ on a raw `%`): the
      // credentials are wrong, and the answer to the encoding the source uses says so. Anything else (a
      // timeout, a 5xx, a bad token) is news about the retry and goes up as it is.
      throw refusesClient(error) || isInvalidRequest(error) ? refusal : error;
    }
  }

  /** One request on the wire, with this read of the secret and this Basic encoding. */
  async #attempt(secret: string, encoding: BasicEncoding, now: () => number): Promise<AccessToken> {
    const settings = this.#settings;
    const inner = settings.fetch ?? globalFetch;
    const bounds: Bounds = { maxBytes: settings.maxResponseBytes, timeoutMs: settings.timeoutMs };
    const exchange: Exchange = {};
    const config = new oidc.Configuration(
      await this.#metadata(inner, bounds),
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
    const token = accessTokenFrom(exchange.answer?.json, now(), settings.timing);
    this.#known = encoding;
    return token;
  }

  /**
   * The server's metadata: from `tokenUrl` (already checked by the options), or discovered from `issuer`,
   * whose token endpoint must be https: unless insecure requests are allowed.
   */
  #metadata(inner: typeof fetch, bounds: Bounds): Promise<oidc.ServerMetadata> {
    const { tokenUrl, issuer, timeoutMs, allowInsecureRequests } = this.#settings;
    if (!issuer) {
      const endpoint = tokenUrl as string;
      return Promise.resolve({ issuer: new URL(endpoint).origin, token_endpoint: endpoint });
    }
    const discovering = async (): Promise<oidc.ServerMetadata> => {
      const metadata = await discover(issuer, boundedFetch(inner, bounds, {}), timeoutMs);
      const { protocol } = new URL(metadata.token_endpoint);
      if (protocol !== 'https:' && !(allowInsecureRequests && protocol === 'http:')) {
        throw new GrantkitError('GRANTKIT_CONFIGURATION', 'the discovered token endpoint is not https:');
      }
      return metadata as oidc.ServerMetadata;
    };
    this.#discovered ??= discovering().catch((error: unknown) => {
      this.#discovered = undefined; // discovery failed: try again next time
      throw error;
    });
    return this.#discovered;
  }
}
