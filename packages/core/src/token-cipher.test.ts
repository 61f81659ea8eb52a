import { describe, expect, it } from 'vitest';
import { isGrantkitError } from './errors.js';
import { tokenCipher } from './token-cipher.js';
import type { StoredToken } from './types.js';

const token: StoredToken = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJl',
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  scope: 'read',
  receivedAt: 1_899_999_000_000,
};
const key = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));

describe('tokenCipher', () => {
  it('opens what it sealed, receivedAt included, with a fresh IV every time', async () => {
    const cipher = tokenCipher(key());
    const first = await cipher.seal('k', token);
    const second = await cipher.seal('k', token);
    expect(first).not.toBe(second);
    expect(await cipher.open('k', first)).toEqual(token);
    for (const part of token.accessToken.split('.')) expect(first).not.toContain(part);
  });

  it('answers undefined for a value sealed with another key, and refuses a value moved to another binding', async () => {
    const value = await tokenCipher(key()).seal('k', token);
    expect(await tokenCipher(key()).open('k', value)).toBeUndefined();
    const bytes = key();
    const error = await tokenCipher(bytes)
      .open('other', await tokenCipher(bytes).seal('k', token))
      .catch((e: unknown) => e);
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_INVALID_RESPONSE');
  });

  it('refuses a key that is not 32 bytes, given or derived', async () => {
    expect(() => tokenCipher(new Uint8Array(16))).toThrow(/32 bytes/);
    const derived = tokenCipher(Promise.resolve(new Uint8Array(31)));
    await expect(derived.seal('k', token)).rejects.toMatchObject({ code: 'GRANTKIT_CONFIGURATION' });
  });

  it('refuses values that are not sealed tokens', async () => {
    const cipher = tokenCipher(key());
    for (const value of ['', token.accessToken, 'gk1.a.b', 'gk1.a.b.c.d']) {
      await expect(cipher.open('k', value)).rejects.toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    }
  });
});
