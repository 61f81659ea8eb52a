/**
 * Which of Keycloak's two path layouts to use.
 *
 * @example
 * ```ts
 * auth.tokenUrl(server.url, 'demo', { legacyAuthPrefix: true }); // .../auth/realms/demo/...
 * ```
 */
export interface KeycloakPathOptions {
  /** `true` for the pre-17 layout under `/auth` (as the Verint Coaching documentation uses). */
  readonly legacyAuthPrefix?: boolean;
}

/** The path prefixes the fake authorization server answers on: Keycloak 17+ and the legacy `/auth`. */
export const pathPrefixes = ['', '/auth'] as const;

const trimSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/**
 * The issuer of `realm` for a server at `baseUrl`: `${baseUrl}[/auth]/realms/${realm}`.
 *
 * @example
 * ```ts
 * realmIssuer('http://127.0.0.1:4000', 'demo'); // 'http://127.0.0.1:4000/realms/demo'
 * realmIssuer('http://127.0.0.1:4000', 'demo', { legacyAuthPrefix: true }); // '.../auth/realms/demo'
 * ```
 */
export function realmIssuer(baseUrl: string, realm: string, options: KeycloakPathOptions = {}): string {
  const prefix = options.legacyAuthPrefix ? '/auth' : '';
  return `${trimSlash(baseUrl)}${prefix}/realms/${encodeURIComponent(realm)}`;
}

/**
 * The token endpoint of `realm` for a server at `baseUrl`.
 *
 * @example
 * ```ts
 * realmTokenUrl('http://127.0.0.1:4000', 'demo'); // 'http://127.0.0.1:4000/realms/demo/protocol/openid-connect/token'
 * ```
 */
export function realmTokenUrl(baseUrl: string, realm: string, options: KeycloakPathOptions = {}): string {
  return `${realmIssuer(baseUrl, realm, options)}/protocol/openid-connect/token`;
}

/** The discovery document a Keycloak realm publishes at `.well-known/openid-configuration`. */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  const protocol = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    token_endpoint: `${protocol}/token`,
    jwks_uri: `${protocol}/certs`,
    grant_types_supported: ['client_credentials'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
  };
}
