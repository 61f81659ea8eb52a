import { GrantkitError, type StoredToken, type TokenLock, type TokenStore } from '@grantkit/core';
import { toBase64url } from './base64url.js';
import { bounded } from './bounded.js';
import { compareAndDelete } from './compare-and-delete.js';
import type { RedisStoreClient } from './redis-client.js';
import { tokenCipher } from './token-cipher.js';

/**
 * Options of {@link redisTokenStore}. Give exactly one of `encryptionKey` and `clientSecret`.
 *
 * @example
 * ```ts
 * const options: RedisTokenStoreOptions = { client, clientSecret: process.env.CLIENT_SECRET!, timeoutMs: 100 };
 * ```
 */
export type RedisTokenStoreOptions = {
  /** A connected node-redis v5/v6 client, cluster or sentinel. Give it an `error` listener. */
  readonly client: RedisStoreClient;
  /** Prepended to every Redis key. Default `'grantkit:'`. */
  readonly prefix?: string | undefined;
  /** Every Redis operation gives up after this long, and the source goes on without Redis. Default 250 ms. */
  readonly timeoutMs?: number | undefined;
} & (
  | {
      /** 32 random bytes (e.g. `Buffer.from(process.env.TOKEN_KEY, 'base64')`), the same on every instance. */
      readonly encryptionKey: Uint8Array;
      readonly clientSecret?: never;
    }
  | {
      /** The OAuth client secret: the encryption key is derived from it (HKDF-SHA-256). */
      readonly clientSecret: string;
      readonly encryptionKey?: never;
    }
);

/**
 * A {@link TokenStore} on Redis, with the optional cross-instance lock.
 *
 * @example
 * ```ts
 * const store: RedisTokenStore = redisTokenStore({ client, clientSecret });
 * const lock = await store.lock('grantkit:v1:…', 11_000); // undefined: another instance holds it
 * ```
 */
export interface RedisTokenStore extends TokenStore {
  lock(key: string, ttlMs: number): Promise<TokenLock | undefined>;
}

const DEFAULT_PREFIX = 'grantkit:';
const DEFAULT_TIMEOUT_MS = 250;

/** Redis wants whole milliseconds, at least one. */
const px = (ms: number): number => Math.max(1, Math.ceil(ms));

/**
 * Shares tokens across processes through Redis, so a whole fleet makes one token request per token
 * lifetime: `lock` is `SET NX PX` with a random fencing value, released by compare-and-delete. Tokens
 * are encrypted and authenticated at rest (AES-256-GCM, a fresh IV per write, bound to the Redis key),
 * with your key or one derived from the client secret. Every operation is bounded by `timeoutMs`; when
 * Redis is down or slow, the source reports `store-error` events and goes on with its own token requests.
 * Throws `GRANTKIT_CONFIGURATION` at once for unusable options.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { redisTokenStore } from '@grantkit/redis';
 * import { createClient } from 'redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL })
 *   .on('error', (error) => console.warn('redis', error.message))
 *   .connect();
 * const source = clientCredentials({
 *   tokenUrl,
 *   clientId: 'svc',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   store: redisTokenStore({ client, clientSecret: process.env.CLIENT_SECRET! }),
 * });
 * ```
 */
export function redisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const { client, prefix = DEFAULT_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof client !== 'object' || client === null || typeof client.eval !== 'function') {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'client must be a node-redis client');
  }
  if (typeof prefix !== 'string')
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'prefix must be a string');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'timeoutMs must be a finite number > 0');
  }
  if ((options.encryptionKey === undefined) === (options.clientSecret === undefined)) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'give exactly one of encryptionKey and clientSecret');
  }
  const cipher = tokenCipher(
    options.encryptionKey === undefined
      ? { clientSecret: options.clientSecret }
      : { encryptionKey: options.encryptionKey },
  );
  const tokenKey = (key: string): string => `${prefix}token:${key}`;
  const lockKey = (key: string): string => `${prefix}lock:${key}`;
  /** One bounded operation on the client, its commands tied to the operation's signal. */
  const redis = <T>(operation: string, run: (redis: RedisStoreClient) => Promise<T>): Promise<T> =>
    bounded(operation, timeoutMs, (signal) => run(client.withAbortSignal?.(signal) ?? client));
  const release = (key: string, value: string): Promise<void> =>
    redis('compare-and-delete', (r) => r.eval(compareAndDelete, { keys: [key], arguments: [value] })).then(
      () => undefined,
    );
  const read = async (key: string): Promise<string | undefined> => {
    const value = await redis('get', (r) => r.get(key));
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return new TextDecoder().decode(value);
    throw new GrantkitError('GRANTKIT_INVALID_RESPONSE', 'redis get answered neither a string nor null');
  };

  return {
    async get(key: string): Promise<StoredToken | undefined> {
      const value = await read(tokenKey(key));
      return value === undefined ? undefined : cipher.open(tokenKey(key), value);
    },

    async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
      const value = await cipher.seal(tokenKey(key), token);
      await redis('set', (r) =>
        r.set(tokenKey(key), value, { expiration: { type: 'PX', value: px(ttlMs) } }),
      );
    },

    async delete(key: string, accessToken?: string): Promise<void> {
      if (accessToken === undefined) {
        await redis('delete', (r) => r.del(tokenKey(key)));
        return;
      }
      // The value is sealed with a random IV, so compare the token in here, then delete that exact value.
      const value = await read(tokenKey(key));
      if (value === undefined) return;
      const stored = await cipher.open(tokenKey(key), value).catch(() => undefined);
      if (stored?.accessToken === accessToken) await release(tokenKey(key), value);
    },

    async lock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
      const fence = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
      let reply: unknown;
      try {
        reply = await redis('lock', (r) =>
          r.set(lockKey(key), fence, { expiration: { type: 'PX', value: px(ttlMs) }, condition: 'NX' }),
        );
      } catch (error) {
        // The SET may still land after we gave up: take back a lock nobody would release.
        release(lockKey(key), fence).catch(() => {});
        throw error;
      }
      if (reply === null || reply === undefined) return undefined;
      return { release: () => release(lockKey(key), fence) };
    },
  };
}
