/**
 * PBKDF2-HMAC-SHA-256 iterations for a key derived from the client secret (OWASP's 2023 figure): every
 * guess of a weak secret against a value read from Redis costs as much as the derivation itself.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** The salt when none is given; a per-deployment salt keeps one precomputation from serving every fleet. */
const DEFAULT_SALT = '@grantkit/redis token key salt v2';

/**
 * Keys derived in this process, by salt and secret: the stores of one client (one per scope, say, or a
 * store created again) share one derivation instead of each paying for it, and competing for the CPU, in
 * their first store call. A few entries: a rotated secret pushes the oldest out.
 */
const derived = new Map<string, Promise<Uint8Array>>();
const MAX_DERIVED = 16;

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

async function derive(clientSecret: string, salt: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const secret = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(clientSecret),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    secret,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * The 32-byte token key derived from the client secret and a salt with PBKDF2 (WebCrypto). Takes a
 * fraction of a second, once per secret and salt in a process (a failed derivation is tried again).
 */
export function keyFromSecret(
  clientSecret: string,
  salt: string | Uint8Array = DEFAULT_SALT,
): Promise<Uint8Array> {
  const saltBytes = typeof salt === 'string' ? new TextEncoder().encode(salt) : new Uint8Array(salt);
  const id = `${hex(saltBytes)}:${clientSecret}`;
  const known = derived.get(id);
  if (known) return known;
  const key = derive(clientSecret, saltBytes);
  derived.set(id, key);
  if (derived.size > MAX_DERIVED) derived.delete(derived.keys().next().value as string);
  key.catch(() => derived.delete(id));
  return key;
}
