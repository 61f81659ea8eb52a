import { exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The RS256 key pair the fake authorization server signs with.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await crypto.subtle.generateKey(
 *   { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
 *   true,
 *   ['sign', 'verify'],
 * );
 * await createAuthServer({ key: { privateKey, publicKey, kid: 'k1' }, realms });
 * ```
 */
export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Key id, sent as the JWT header `kid` and in the JWKS. */
  readonly kid: string;
}

/** The public half as a JWK with `kid`, `alg` and `use`, as published on the certs endpoint. */
export async function publicJwk(key: SigningKey): Promise<JWK> {
  const jwk = await exportJWK(key.publicKey);
  return { ...jwk, kid: key.kid, alg: 'RS256', use: 'sig' };
}

/** Generates a fresh RS256 key pair with a random `kid`. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, publicKey, kid: crypto.randomUUID() };
}
