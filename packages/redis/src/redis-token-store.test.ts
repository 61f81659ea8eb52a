import { isGrantkitError, type StoredToken } from '@grantkit/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisTokenStore } from './redis-token-store.js';

const client = createClient({ url: inject('redisUrl') });
client.on('error', () => {});
let prefix = '';
let n = 0;

beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  client.destroy();
});

const token: StoredToken = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJl',
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  scope: 'read',
};

/** A store with a prefix of its own, so tests never see each other's keys. */
function store(options: { clientSecret?: string; encryptionKey?: Uint8Array } = {}) {
  prefix = `test${process.pid}-${++n}:`;
  return options.encryptionKey
    ? redisTokenStore({ client, prefix, encryptionKey: options.encryptionKey })
    : redisTokenStore({ client, prefix, clientSecret: options.clientSecret ?? 's3cret' });
}

describe('redisTokenStore', () => {
  it('keeps a token for its ttl', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    expect(await tokens.get('k')).toEqual(token);
    const ttl = await client.pTTL(`${prefix}token:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await tokens.get('other')).toBeUndefined();
  });

  it('stores the token encrypted, with a fresh IV on every write', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    const first = await client.get(`${prefix}token:k`);
    await tokens.set('k', token, 60_000);
    const second = await client.get(`${prefix}token:k`);
    for (const value of [first, second]) {
      expect(value).toMatch(/^gk1\.[\w-]{8}\.[\w-]{16}\.[\w-]+$/);
      for (const part of token.accessToken.split('.')) expect(value).not.toContain(part);
      expect(value).not.toContain('s3cret');
    }
    expect(first).not.toEqual(second);
  });

  it('reads the same token with the same user-supplied key, and nothing with another key', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const writer = store({ encryptionKey: key });
    await writer.set('k', token, 60_000);
    const same = redisTokenStore({ client, prefix, encryptionKey: new Uint8Array(key) });
    const other = redisTokenStore({ client, prefix, clientSecret: 'another secret' });
    expect(await same.get('k')).toEqual(token);
    expect(await other.get('k')).toBeUndefined();
  });

  it('refuses a value moved to another key', async () => {
    const tokens = store();
    await tokens.set('a', token, 60_000);
    await client.set(`${prefix}token:b`, (await client.get(`${prefix}token:a`)) ?? '');
    const error = await tokens.get('b').catch((e: unknown) => e);
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_INVALID_RESPONSE');
  });

  it('refuses a tampered value', async () => {
    const tokens = store();
    await tokens.set('k', token, 60_000);
    const value = (await client.get(`${prefix}token:k`)) ?? '';
    const flipped = `${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`;
    await client.set(`${prefix}token:k`, flipped);
    await expect(tokens.get('k')).rejects.toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    await client.set(`${prefix}token:k`, token.accessToken);
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
    await expect.poll(() => client.exists(`${prefix}lock:k`)).toBe(0);
    expect(await tokens.lock('k', 60_000)).toBeDefined();
  });

  it('gives up on an unreachable Redis with GRANTKIT_TIMEOUT', async () => {
    const offline = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: () => 1_000 } });
    offline.on('error', () => {});
    offline.connect().catch(() => {});
    const tokens = redisTokenStore({ client: offline, clientSecret: 's3cret', timeoutMs: 50 });
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
    offline.destroy();
  });

  it('refuses unusable options', () => {
    const bad = [
      { client, clientSecret: '' },
      { client, encryptionKey: new Uint8Array(16) },
      { client, clientSecret: 's', encryptionKey: new Uint8Array(32) },
      { client },
      { client, clientSecret: 's', timeoutMs: 0 },
      { client: {}, clientSecret: 's' },
    ];
    for (const options of bad) {
      expect(() => redisTokenStore(options as never)).toThrow(
        expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }),
      );
    }
  });
});
