import { fromBase64url, toBase64url } from './base64url.js';
import { GrantkitError } from './errors.js';
import type { StoredToken } from './types.js';

/** The payload format; a value in another format is not ours to read. */
const FORMAT = 'gk1';
const KEY_ID_LABEL = new TextEncoder().encode('@grantkit token key id v1');
const IV_BYTES = 12;

/**
 * Seals tokens for a shared store and opens them again; see {@link tokenCipher}.
 *
 * @example
 * ```ts
 * const cipher: TokenCipher = tokenCipher(encryptionKey);
 * ```
 */
export interface TokenCipher {
  /** `gk1.<key id>.<iv>.<ciphertext>`: AES-256-GCM, a fresh 96-bit IV, bound to `binding` (the store key). */
  seal(binding: string, token: StoredToken): Promise<string>;
  /**
   * The token in `value`, or `undefined` when it was sealed with another key (a key rotation in
   * progress). Throws `GRANTKIT_INVALID_RESPONSE` when the value is not a sealed token or fails
   * authentication (tampered, or moved from another store key).
   */
  open(binding: string, value: string): Promise<StoredToken | undefined>;
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

function checkedKey(key: unknown): Uint8Array<ArrayBuffer> {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'encryptionKey must be 32 bytes');
  }
  return new Uint8Array(key);
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function token(plain: unknown): StoredToken {
  if (typeof plain !== 'object' || plain === null) throw invalidValue('not an object');
  const { a, e, s, r } = plain as Record<string, unknown>;
  if (typeof a !== 'string' || !finite(e)) throw invalidValue('bad fields');
  return {
    accessToken: a,
    tokenType: 'Bearer',
    expiresAt: e,
    ...(typeof s === 'string' && { scope: s }),
    ...(finite(r) && { receivedAt: r }),
  };
}

/**
 * Authenticated encryption of tokens at rest for shared stores (`@grantkit/redis`,
 * `@grantkit/cloudflare`), with WebCrypto AES-256-GCM only. `key` is 32 bytes (or a promise of them,
 * for a key that is derived first); the additional data binds a value to its format, key id and store
 * key, so it cannot be moved to another key. The token, its expiry, scope and `receivedAt` are sealed.
 * Throws `GRANTKIT_CONFIGURATION` when the key is not 32 bytes.
 *
 * @example
 * ```ts
 * import { tokenCipher } from '@grantkit/core/token-cipher';
 *
 * const cipher = tokenCipher(crypto.getRandomValues(new Uint8Array(32)));
 * const value = await cipher.seal('grantkit:token:abc', token);
 * await cipher.open('grantkit:token:abc', value); // the token
 * ```
 */
export function tokenCipher(key: Uint8Array | Promise<Uint8Array>): TokenCipher {
  const bytes = key instanceof Promise ? key.then(checkedKey) : Promise.resolve(checkedKey(key));
  const ready = bytes.then(async (raw) => ({
    id: await keyId(raw),
    key: await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']),
  }));
  ready.catch(() => {}); // reported by seal and open
  const additionalData = (id: string, binding: string): Uint8Array<ArrayBuffer> =>
    new TextEncoder().encode(`${FORMAT}.${id}.${binding}`);

  return {
    async seal(binding, stored) {
      const { id, key } = await ready;
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = new TextEncoder().encode(
        JSON.stringify({
          a: stored.accessToken,
          e: stored.expiresAt,
          ...(stored.scope !== undefined && { s: stored.scope }),
          ...(stored.receivedAt !== undefined && { r: stored.receivedAt }),
        }),
      );
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(id, binding) },
        key,
        plain,
      );
      return `${FORMAT}.${id}.${toBase64url(iv)}.${toBase64url(new Uint8Array(sealed))}`;
    },
    async open(binding, value) {
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
          { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: additionalData(id, binding) },
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
