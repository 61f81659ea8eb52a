/**
 * PBKDF2-HMAC-SHA-256 iterations for a key derived from the client secret (OWASP's 2023 figure): every
 * guess of a weak secret against a value read from Redis costs as much as the derivation itself.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** The salt when none is given; a per-deployment salt keeps one precomputation from serving every fleet. */
const DEFAULT_SALT = '@grantkit/redis token key salt v2';

/**
 * The 32-byte token key derived from the client secret and a salt with PBKDF2 (WebCrypto). Takes a
 * fraction of a second, once per store.
 */
export async function keyFromSecret(
  clientSecret: string,
  salt: string | Uint8Array = DEFAULT_SALT,
): Promise<Uint8Array> {
  const secret = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(clientSecret),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const saltBytes = typeof salt === 'string' ? new TextEncoder().encode(salt) : new Uint8Array(salt);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: saltBytes, iterations: PBKDF2_ITERATIONS },
    secret,
    256,
  );
  return new Uint8Array(bits);
}
