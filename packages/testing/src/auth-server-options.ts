import type { Clock } from './clock.js';
import type { SigningKey } from './signing-key.js';

/**
 * A confidential client registered in a realm of the fake authorization server.
 *
 * @example
 * ```ts
 * realms: { demo: { clients: { svc: { secret: 'p+ss:w%rd x', lifetimeSeconds: 60, scopes: ['read'] } } } }
 * ```
 */
export interface ClientConfig {
  /** The client secret; any characters, including `+ : % space`. */
  readonly secret: string;
  /** `expires_in` of its tokens, in seconds. Default 300 (Keycloak's default access token lifespan). */
  readonly lifetimeSeconds?: number;
  /** Scopes it may request; all of them are granted when it asks for none. Default none. */
  readonly scopes?: readonly string[];
}

/**
 * A realm of the fake authorization server.
 *
 * @example
 * ```ts
 * const demo: RealmConfig = { clients: { svc: { secret: 's' } } };
 * ```
 */
export interface RealmConfig {
  /** Clients by `client_id`. */
  readonly clients: Readonly<Record<string, ClientConfig>>;
}

/**
 * How a bad client id or secret is answered: real Keycloak (401) or older versions / RFC 6749 (400).
 *
 * @example
 * ```ts
 * auth.unknownClientStyle = '400-invalid_client'; // answer like older Keycloak versions
 * ```
 */
export type UnknownClientStyle = '401-unauthorized_client' | '400-invalid_client';

/**
 * How the token endpoint decodes `Authorization: Basic` credentials:
 * - `'rfc6749'`: base64, then form-urldecode id and secret (RFC 6749 §2.3.1; Keycloak 20 and later);
 * - `'raw'`: base64 only, id and secret taken as they are (Keycloak before 20, keycloak/keycloak#11908).
 *
 * @example
 * ```ts
 * auth.basicDecoding = 'raw'; // answer like Keycloak 19: a secret with + or % only works unencoded
 * ```
 */
export type BasicDecoding = 'rfc6749' | 'raw';

/**
 * Options of {@link createAuthServer}.
 *
 * @example
 * ```ts
 * const auth = await createAuthServer({ clock: createManualClock(), baseUrl: 'https://auth.example.com', realms });
 * ```
 */
export interface AuthServerOptions {
  /** Realms by name. */
  readonly realms: Readonly<Record<string, RealmConfig>>;
  /**
   * Base URL used in `iss` and in the discovery document, e.g. `https://auth.example.com`. Default: the
   * origin of each incoming request.
   */
  readonly baseUrl?: string;
  /** The signing key pair. Default: a freshly generated RS256 key pair. */
  readonly key?: Omit<SigningKey, 'kid'> & { readonly kid?: string };
  /** Time source for `iat`/`exp` and the request log. Default: `Date`. */
  readonly clock?: Clock;
  /** How a bad client id or secret is answered. Default `'401-unauthorized_client'`. */
  readonly unknownClientStyle?: UnknownClientStyle;
  /** How Basic credentials are decoded. Default `'rfc6749'`. */
  readonly basicDecoding?: BasicDecoding;
}
