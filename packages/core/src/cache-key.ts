/**
 * The store key of a configuration: a SHA-256 over token URL (or issuer), client id and every token
 * request parameter (scope, audience, resource, …). Two configurations never share a token; the key
 * carries no secret.
 *
 * @example
 * ```ts
 * await cacheKey('https://auth.acme/token', 'svc', { scope: 'read' }); // 'grantkit:v1:3f…'
 * ```
 */
export async function cacheKey(
  endpoint: string,
  clientId: string,
  parameters: Readonly<Record<string, string>>,
): Promise<string> {
  const sorted = Object.keys(parameters)
    .sort()
    .map((name) => [name, parameters[name]]);
  const data = new TextEncoder().encode(JSON.stringify([endpoint, clientId, sorted]));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return `grantkit:v1:${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
