import * as oidc from 'openid-client';

/**
 * How `client_id:client_secret` is encoded in `Authorization: Basic`:
 * - `'rfc6749'`: form-urlencoded before base64, as RFC 6749 §2.3.1 says and Keycloak 20+ decodes;
 * - `'raw'`: base64 of the UTF-8 text as it is, which Keycloak before 20 expects (keycloak/keycloak#11908).
 *
 * @example
 * ```ts
 * const encoding: BasicEncoding = 'raw'; // pin it for a Keycloak 19 server
 * ```
 */
export type BasicEncoding = 'rfc6749' | 'raw';

/** Whether the two encodings of these credentials send different headers (then only one of them can work). */
export const encodingsDiffer = (clientId: string, clientSecret: string): boolean =>
  /[^A-Za-z0-9]/.test(clientId + clientSecret);

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The raw encoding, as openid-client client authentication: the header is all it sets. */
const rawBasic =
  (clientSecret: string): oidc.ClientAuth =>
  (_server, client, _body, headers) => {
    headers.set('authorization', `Basic ${base64(`${client.client_id}:${clientSecret}`)}`);
  };

/** openid-client's client authentication for a method, a Basic encoding and one read of the secret. */
export function clientAuth(
  method: 'client_secret_basic' | 'client_secret_post',
  encoding: BasicEncoding,
  clientSecret: string,
): oidc.ClientAuth {
  if (method === 'client_secret_post') return oidc.ClientSecretPost(clientSecret);
  return encoding === 'raw' ? rawBasic(clientSecret) : oidc.ClientSecretBasic(clientSecret);
}
