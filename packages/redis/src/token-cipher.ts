import { GrantkitError, type StoredToken } from '@grantkit/core';
import { fromBase64url, toBase64url } from './base64url.js';

/** The payload format; a value in another format is not ours to read. */
const FORMAT = 'gk1';
/** Fixed HKDF salt and info: the same client secret gives the same key on every instance. */
const HKDF_SALT = new TextEncoder().encode('@grantkit/redis token encryption salt v1');
const HKDF_INFO = new TextEncoder().encode('@grantkit/redis AES-256-GCM token key v1');
const KEY_ID_LABEL = new TextEncoder().encode('@grantkit/redis key id v1');
const IV_BYTES = 12;

/** Where the key comes from: 32 bytes you supply, or derived from the client secret. */
export type KeyMaterial = { readonly encryptionKey: Uint8Array } | { readonly clientSecret: string };

/** Seals tokens for one Redis key at a time and opens them again. */
export interface TokenCipher {
  /** `gk1.<key id>.<iv>.<ciphertext>`: AES-256-GCM, a fresh 96-bit IV, bound to `redisKey`. */
  seal(redisKey: string, token: StoredToken): Promise<string>;
  /**
   * The token in `value`, or `undefined` when it was sealed with another key (a key rotation in
   * progress). Throws when the value is not a sealed token or fails authentication (tampered, or moved
   * from another Redis key).
   */
  open(redisKey: string, value: string): Promise<StoredToken | undefined>;
}

function keyBytes(material: KeyMaterial): Promise<Uint8Array<ArrayBuffer>> {
  if ('encryptionKey' in material) return Promise.resolve(new Uint8Array(material.encryptionKey));
  return crypto.subtle
    .importKey('raw', new TextEncoder().encode(material.clientSecret), 'HKDF', false, ['deriveBits'])
    .then((secret) =>
      crypto.subtle.deriveBits(
        { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO },
        secret,
        256,
      ),
    )
    .then((bits) => new Uint8Array(bits));
}

/** A short, non-secret name for a key: 48 bits of a labelled SHA-256 of it. */
async function keyId(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const labelled = new Uint8Array(KEY_ID_LABEL.length + bytes.length);
  labelled.set(KEY_ID_LABEL);
  labelled.set(bytes, KEY_ID_LABEL.length);
  return toBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', labelled)).subarray(0, 6));
}

function invalidValue(message: string): GrantkitError {
  return new GrantkitError('GRANTKIT_INVALID_RESPONSE', `stored token unusable: ${message}`);
}

function token(plain: unknown): StoredToken {
  if (typeof plain !== 'object' || plain === null) throw invalidValue('not an object');
  const { a, e, s } = plain as Record<string, unknown>;
  if (typeof a !== 'string' || typeof e !== 'number' || !Number.isFinite(e)) throw invalidValue('bad fields');
  const scope = typeof s === 'string' ? { scope: s } : {};
  return { accessToken: a, tokenType: 'Bearer', expiresAt: e, ...scope };
}

/**
 * Authenticated encryption of tokens at rest (AES-256-GCM through WebCrypto). The additional data binds a
 * value to its format, key id and Redis key, so it cannot be moved to another key. Throws
 * `GRANTKIT_CONFIGURATION` when the key is not 32 bytes or the secret is empty.
 *
 * @example
 * ```ts
 * const cipher = tokenCipher({ clientSecret: process.env.CLIENT_SECRET! });
 * const value = await cipher.seal('grantkit:token:abc', token);
 * await cipher.open('grantkit:token:abc', value); // the token
 * ```
 */
export function tokenCipher(material: KeyMaterial): TokenCipher {
  if ('encryptionKey' in material) {
    if (!(material.encryptionKey instanceof Uint8Array) || material.encryptionKey.length !== 32) {
      throw new GrantkitError('GRANTKIT_CONFIGURATION', 'encryptionKey must be 32 bytes');
    }
  } else if (typeof material.clientSecret !== 'string' || material.clientSecret === '') {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'clientSecret must be a non-empty string');
  }
  const ready = keyBytes(material).then(async (bytes) => ({
    id: await keyId(bytes),
    key: await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']),
  }));
  const additionalData = (id: string, redisKey: string): Uint8Array<ArrayBuffer> =>
    new TextEncoder().encode(`${FORMAT}.${id}.${redisKey}`);

  return {
    async seal(redisKey, stored) {
      const { id, key } = await ready;
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const scope = stored.scope === undefined ? {} : { s: stored.scope };
      const plain = new TextEncoder().encode(
        JSON.stringify({ a: stored.accessToken, e: stored.expiresAt, ...scope }),
      );
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(id, redisKey) },
        key,
        plain,
      );
      return `${FORMAT}.${id}.${toBase64url(iv)}.${toBase64url(new Uint8Array(sealed))}`;
    },
    async open(redisKey, value) {
      const { id, key } = await ready;
      const [format, valueId, iv, sealed, ...rest] = value.split('.');
      if (
        format !== FORMAT ||
        valueId === undefined ||
        iv === undefined ||
        sealed === undefined ||
        rest.length
      )
        throw invalidValue('not a sealed token');
      if (valueId !== id) return undefined;
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: additionalData(id, redisKey) },
          key,
          fromBase64url(sealed),
        );
      } catch {
        throw invalidValue('authentication failed');
      }
      return token(JSON.parse(new TextDecoder().decode(plain)));
    },
  };
}
