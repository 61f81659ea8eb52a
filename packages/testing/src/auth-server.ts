import { Hono } from 'hono';
import { decodeJwt, type JSONWebKeySet } from 'jose';
import type { AuthServerOptions, BasicDecoding, UnknownClientStyle } from './auth-server-options.js';
import type { AuthServerState, RegisteredClient } from './auth-server-state.js';
import type { Clock } from './clock.js';
import { isConnectionDropped } from './connection-dropped.js';
import { createFaultQueue, type FaultInjector } from './faults.js';
import {
  discoveryDocument,
  type KeycloakPathOptions,
  pathPrefixes,
  realmIssuer,
  realmTokenUrl,
} from './keycloak-urls.js';
import { oauthError } from './oauth-error.js';
import type { TokenRequestLogEntry } from './request-log.js';
import { generateSigningKey, publicJwk, type SigningKey } from './signing-key.js';
import { tokenEndpoint } from './token-endpoint.js';

/**
 * A Keycloak-compatible fake OAuth 2.0 authorization server (client credentials grant), with counters, a
 * request log and fault injection. See {@link createAuthServer}.
 *
 * @example
 * ```ts
 * const auth = await createAuthServer({ realms });
 * auth.faults.fail(1, { status: 503 });
 * expect(auth.tokenRequestsFor('svc')).toBe(0);
 * ```
 */
export interface AuthServer {
  /** The Hono app. Use `app.request(path, init)` in-process, or serve it with `listen` from `@grantkit/testing/node`. */
  readonly app: Hono;
  /**
   * A `fetch`-compatible function answered by the app in-process (`app.request`): hand it to code that
   * takes a custom `fetch`. Relative paths resolve against `http://localhost`.
   */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The token endpoint of `realm` on a server at `baseUrl`. */
  tokenUrl(baseUrl: string, realm: string, options?: KeycloakPathOptions): string;
  /** The issuer (`iss`) of `realm` on a server at `baseUrl`. */
  issuer(baseUrl: string, realm: string, options?: KeycloakPathOptions): string;
  /** Token endpoint hits, including failed and faulted ones. */
  readonly tokenRequests: number;
  /** Token endpoint hits that presented `clientId`. */
  tokenRequestsFor(clientId: string): number;
  /** Every token endpoint hit, oldest first. */
  readonly requestLog: readonly TokenRequestLogEntry[];
  /** Access tokens signed and sent (including those in `malformed` responses that carry a real token). */
  readonly issuedTokens: number;
  /** Clears counters, the request log, faults and revocations; keeps clients, their settings and the key. */
  reset(): void;
  /** Fault injection for the token endpoint. */
  readonly faults: FaultInjector;
  /** Sets the token lifetime (`expires_in`) of `clientId` in every realm that has it. */
  setLifetime(clientId: string, seconds: number): void;
  /** Sets the secret of `clientId` in every realm that has it. */
  setClientSecret(clientId: string, secret: string): void;
  /** Revokes an access token: resource servers built on this server reject it from now on. */
  revoke(accessToken: string): void;
  /** Whether `accessToken` was revoked. */
  isRevoked(accessToken: string): boolean;
  /** How a bad client id or secret is answered; can be changed at any time. */
  unknownClientStyle: UnknownClientStyle;
  /** How Basic credentials are decoded (`'raw'`: like Keycloak before 20); can be changed at any time. */
  basicDecoding: BasicDecoding;
  /** The public signing key as a JWKS, as served on `.../protocol/openid-connect/certs`. */
  readonly jwks: JSONWebKeySet;
  /** The clock that stamps `iat`/`exp`. */
  readonly clock: Clock;
  /** The realm names. */
  readonly realms: readonly string[];
}

function registerClients(options: AuthServerOptions): Map<string, Map<string, RegisteredClient>> {
  const realms = new Map<string, Map<string, RegisteredClient>>();
  for (const [realm, config] of Object.entries(options.realms)) {
    const clients = new Map<string, RegisteredClient>();
    for (const [id, client] of Object.entries(config.clients)) {
      clients.set(id, {
        secret: client.secret,
        lifetimeSeconds: client.lifetimeSeconds ?? 300,
        scopes: client.scopes ?? [],
      });
    }
    realms.set(realm, clients);
  }
  return realms;
}

const jtiOf = (token: string): string | undefined => {
  try {
    const { jti } = decodeJwt(token);
    return jti;
  } catch {
    return undefined;
  }
};

/**
 * Creates a Keycloak-compatible fake authorization server. It answers on both `/realms/{realm}/...` and the
 * legacy `/auth/realms/{realm}/...`: `POST .../protocol/openid-connect/token` (client credentials grant,
 * `client_secret_basic` or `client_secret_post`), `GET .../protocol/openid-connect/certs` (JWKS) and
 * `GET .../.well-known/openid-configuration`. Tokens are RS256 JWTs shaped like Keycloak's.
 *
 * The app uses web-standard APIs only, so it also runs on edge runtimes.
 *
 * @example
 * ```ts
 * const auth = await createAuthServer({
 *   realms: { demo: { clients: { svc: { secret: 'p+ss:w%rd x', lifetimeSeconds: 3600, scopes: ['read'] } } } },
 * });
 * const response = await auth.app.request(auth.tokenUrl('http://localhost', 'demo'), {
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
 *   body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 'p+ss:w%rd x' }),
 * });
 * const { access_token } = await response.json();
 * ```
 */
export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const key: SigningKey = options.key
    ? {
        privateKey: options.key.privateKey,
        publicKey: options.key.publicKey,
        kid: options.key.kid ?? 'grantkit-test',
      }
    : await generateSigningKey();
  const jwks: JSONWebKeySet = { keys: [await publicJwk(key)] };
  const realms = registerClients(options);
  const revoked = new Set<string>();
  const state: AuthServerState = {
    realms,
    key,
    clock: options.clock ?? Date,
    baseUrl: options.baseUrl?.replace(/\/+$/, ''),
    faults: createFaultQueue(),
    log: [],
    unknownClientStyle: options.unknownClientStyle ?? '401-unauthorized_client',
    basicDecoding: options.basicDecoding ?? 'rfc6749',
    issuedTokens: 0,
  };

  const app = new Hono();
  for (const prefix of pathPrefixes) {
    const realmPath = `${prefix}/realms/:realm`;
    app.post(`${realmPath}/protocol/openid-connect/token`, tokenEndpoint(state, prefix));
    app.get(`${realmPath}/protocol/openid-connect/certs`, (c) =>
      realms.has(c.req.param('realm') ?? '') ? c.json(jwks) : c.json({ error: 'Realm does not exist' }, 404),
    );
    app.get(`${realmPath}/.well-known/openid-configuration`, (c) => {
      const realm = c.req.param('realm') ?? '';
      if (!realms.has(realm)) return c.json({ error: 'Realm does not exist' }, 404);
      const base = state.baseUrl ?? new URL(c.req.url).origin;
      return c.json(discoveryDocument(`${base}${prefix}/realms/${realm}`));
    });
  }
  app.onError((error, c) => {
    // No response at all: a dropped connection, or a client that went away while the request hung.
    if (isConnectionDropped(error) || c.req.raw.signal.aborted) throw error;
    return oauthError(500, 'server_error', error.message);
  });

  const clientsNamed = (clientId: string): RegisteredClient[] => {
    const found = [...realms.values()].flatMap((clients) => {
      const client = clients.get(clientId);
      return client ? [client] : [];
    });
    if (found.length === 0) throw new Error(`No realm has a client "${clientId}"`);
    return found;
  };

  return {
    app,
    fetch: async (input, init) => app.request(input, init),
    tokenUrl: realmTokenUrl,
    issuer: realmIssuer,
    get tokenRequests() {
      return state.log.length;
    },
    tokenRequestsFor: (clientId) => state.log.filter((entry) => entry.clientId === clientId).length,
    get requestLog() {
      return state.log;
    },
    get issuedTokens() {
      return state.issuedTokens;
    },
    reset() {
      state.log.length = 0;
      state.issuedTokens = 0;
      state.faults.clear();
      revoked.clear();
    },
    faults: state.faults,
    setLifetime(clientId, seconds) {
      for (const client of clientsNamed(clientId)) client.lifetimeSeconds = seconds;
    },
    setClientSecret(clientId, secret) {
      for (const client of clientsNamed(clientId)) client.secret = secret;
    },
    revoke(accessToken) {
      revoked.add(jtiOf(accessToken) ?? accessToken);
    },
    isRevoked: (accessToken) => revoked.has(jtiOf(accessToken) ?? accessToken),
    get unknownClientStyle() {
      return state.unknownClientStyle;
    },
    set unknownClientStyle(style) {
      state.unknownClientStyle = style;
    },
    get basicDecoding() {
      return state.basicDecoding;
    },
    set basicDecoding(decoding) {
      state.basicDecoding = decoding;
    },
    jwks,
    clock: state.clock,
    realms: [...realms.keys()],
  };
}
