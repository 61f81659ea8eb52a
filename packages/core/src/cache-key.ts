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
