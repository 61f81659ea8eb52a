import { type ClientSecret, readSecret } from './client-secret.js';

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The store key of a configuration: an HMAC-SHA-256 keyed with the client secret over token URL (or
 * issuer), client id and every token request parameter (scope, audience, resource, …). Two configurations
 * never share a token — not even with the same client id and different secrets — and the key reveals
 * neither the secret nor anything from which to check a guess of it without the other inputs.
 *
 * @example
 * ```ts
 * await cacheKey('https://auth.acme/token', 'svc', { scope: 'read' }, clientSecret); // 'grantkit:v2:3f…'
 * ```
 */
export async function cacheKey(
  endpoint: string,
  clientId: string,
  parameters: Readonly<Record<string, string>>,
  clientSecret: string,
): Promise<string> {
  const sorted = Object.keys(parameters)
    .sort()
    .map((name) => [name, parameters[name]]);
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const data = encoder.encode(JSON.stringify([endpoint, clientId, sorted]));
  return `grantkit:v2:${hex(await crypto.subtle.sign('HMAC', key, data))}`;
}

/**
 * The store key of a source, computed once per secret value: once for a string secret; with a function
 * secret, the secret is read at the start of each acquisition and the key recomputed only when the value
 * changed, so a rotated secret moves the source to a new key (a token got with a revoked secret is never
 * found by its successor's key, and vice versa). The warm path never calls this.
 */
export function storeKeyOf(
  endpoint: string,
  clientId: string,
  parameters: Readonly<Record<string, string>>,
  clientSecret: ClientSecret,
): () => Promise<string> {
  let last: { readonly secret: string; readonly key: Promise<string> } | undefined;
  return async () => {
    const secret = await readSecret(clientSecret);
    if (last?.secret !== secret) last = { secret, key: cacheKey(endpoint, clientId, parameters, secret) };
    return last.key;
  };
}
