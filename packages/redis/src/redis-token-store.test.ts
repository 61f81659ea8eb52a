import { isGrantkitError, type StoredToken } from '@grantkit/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RedisStoreClient } from './redis-client.js';
import { redisTokenStore } from './redis-token-store.js';
import { libraries, type TestClient } from './test/clients.js';

// Raw reads and writes go through this node-redis client; the store under test uses each library in turn.
const client = createClient({ url: inject('redisUrl') });
client.on('error', () => {});
let prefix = '';
let n = 0;
let under: RedisStoreClient;

beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  client.destroy();
});

/** A key the store writes, as Redis names it. */
const redisKey = (kind: 'token' | 'lock', key: string): string => `${prefix}${kind}:{${key}}`;

const token: StoredToken = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJl',
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  scope: 'read',
  receivedAt: 1_899_996_400_000,
};

const suiteKey = crypto.getRandomValues(new Uint8Array(32));

/** A store with a prefix of its own, so tests never see each other's keys. */
function store(options: { encryptionKey?: Uint8Array } = {}) {
  prefix = `test${process.pid}-${++n}:`;
  return redisTokenStore({ client: under, prefix, encryptionKey: options.encryptionKey ?? suiteKey });
}

describe.each(libraries)('redisTokenStore with $name', (library) => {
  let connected: TestClient;
  beforeAll(async () => {
    connected = await library.connect(inject('redisUrl'));
    under = connected.client;
  });
  afterAll(() => connected.close());

  it('keeps a token for its ttl', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    expect(await tokens.get('k')).toEqual(token);
    const ttl = await client.pTTL(redisKey('token', 'k'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await tokens.get('other')).toBeUndefined();
  });

  it('stores the token encrypted, with a fresh IV on every write', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    const first = await client.get(redisKey('token', 'k'));
    await tokens.set('k', token, 60_000);
    const second = await client.get(redisKey('token', 'k'));
    for (const value of [first, second]) {
      expect(value).toMatch(/^gk1\.[\w-]{8}\.[\w-]{16}\.[\w-]+$/);
      for (const part of token.accessToken.split('.')) expect(value).not.toContain(part);
    }
    expect(first).not.toEqual(second);
  });

  it('reads the same token with the same user-supplied key, and nothing with another key', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const writer = store({ encryptionKey: key });
    await writer.set('k', token, 60_000);
    const same = redisTokenStore({ client: under, prefix, encryptionKey: new Uint8Array(key) });
    const other = redisTokenStore({ client: under, prefix, encryptionKey: new Uint8Array(32) });
    expect(await same.get('k')).toEqual(token);
    expect(await other.get('k')).toBeUndefined();
  });

  it('refuses a value moved to another key', async () => {
    const tokens = store();
    await tokens.set('a', token, 60_000);
    await client.set(redisKey('token', 'b'), (await client.get(redisKey('token', 'a'))) ?? '');
    const error = await tokens.get('b').catch((e: unknown) => e);
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_INVALID_RESPONSE');
  });

  it('refuses a tampered value', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    const value = (await client.get(redisKey('token', 'k'))) ?? '';
    // Another character in a fully significant position of the ciphertext (was flaky: 'B' replaced by 'B').
    const flipped = `${value.slice(0, -2)}${value.at(-2) === 'A' ? 'B' : 'A'}${value.slice(-1)}`;
    await client.set(redisKey('token', 'k'), flipped);
    await expect(tokens.get('k')).rejects.toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    await client.set(redisKey('token', 'k'), token.accessToken);
    await expect(tokens.get('k')).rejects.toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
  });

  it('deletes a token only when it is still the one named', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    await tokens.delete('k', 'some other token');
    expect(await tokens.get('k')).toEqual(token);
    await tokens.delete('k', token.accessToken);
    expect(await tokens.get('k')).toBeUndefined();
    await tokens.set('k', token, 60_000);
    await tokens.delete('k');
    expect(await tokens.get('k')).toBeUndefined();
  });

  it('lets one holder lock a key at a time, and releases only its own lock', async () => {
    const tokens = store();
    const first = await tokens.lock('k', 60_000);
    expect(first).toBeDefined();
    expect(await tokens.lock('k', 60_000)).toBeUndefined();
    await first?.release();
    const second = await tokens.lock('k', 60_000);
    expect(second).toBeDefined();
    await first?.release(); // a stale holder must not free the new holder's lock
    expect(await tokens.lock('k', 60_000)).toBeUndefined();
    await second?.release();
  });

  it('lets a lock lapse after its ttl', async () => {
    const tokens = store();
    await tokens.lock('k', 1);
    await expect.poll(() => client.exists(redisKey('lock', 'k'))).toBe(0);
    expect(await tokens.lock('k', 60_000)).toBeDefined();
  });

  it('gives up on an unreachable Redis with GRANTKIT_TIMEOUT', async () => {
    const offline = library.offline();
    const tokens = redisTokenStore({ client: offline.client, encryptionKey: suiteKey, timeoutMs: 50 });
    for (const operation of [
      () => tokens.get('k'),
      () => tokens.set('k', token, 1_000),
      () => tokens.delete('k'),
      () => tokens.lock('k', 1_000),
    ]) {
      const error = await operation().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGrantkitError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'GRANTKIT_TIMEOUT' });
    }
    await offline.close();
  });

  it('refuses unusable options', () => {
    const bad = [
      { client: under, clientSecret: '' },
      { client: under, encryptionKey: new Uint8Array(16) },
      { client: under, clientSecret: 's', encryptionKey: new Uint8Array(32) },
      { client: under },
      { client: under, clientSecret: 's', timeoutMs: 0 },
      { client: {}, clientSecret: 's' },
    ];
    for (const options of bad) {
      expect(() => redisTokenStore(options as never)).toThrow(
        expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }),
      );
    }
  });
});

describe('redisTokenStore with a key derived from the client secret', () => {
  it('reads a token with the same secret and salt only (PBKDF2, a per-deployment salt)', async () => {
    prefix = `derived${process.pid}:`;
    const options = { client, prefix, clientSecret: 's3cret', salt: 'deployment-a' };
    await redisTokenStore(options).set('k', token, 60_000);
    const value = await client.get(redisKey('token', 'k'));
    expect(value).not.toContain('s3cret');
    expect(await redisTokenStore(options).get('k')).toEqual(token);
    expect(await redisTokenStore({ ...options, salt: 'deployment-b' }).get('k')).toBeUndefined();
    expect(await redisTokenStore({ ...options, salt: undefined }).get('k')).toBeUndefined();
    expect(await redisTokenStore({ ...options, clientSecret: 's3cret!' }).get('k')).toBeUndefined();
  });

  it('stores of one secret and salt derive the key once in a process, and read what each other wrote', async () => {
    prefix = `derived-once${process.pid}:`;
    // A spy, not a stub: every derivation still runs through WebCrypto.
    const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits');
    try {
      const options = { client, prefix, clientSecret: 's3cret', salt: `once-${crypto.randomUUID()}` };
      const stores = [redisTokenStore(options), redisTokenStore(options), redisTokenStore(options)];
      await stores[0]?.set('k', token, 60_000);
      expect(await Promise.all(stores.map((each) => each.get('k')))).toEqual([token, token, token]);
      expect(deriveBits).toHaveBeenCalledTimes(1);
      await redisTokenStore({ ...options, clientSecret: 'other' }).get('k');
      expect(deriveBits).toHaveBeenCalledTimes(2);
    } finally {
      deriveBits.mockRestore();
    }
  });
});
