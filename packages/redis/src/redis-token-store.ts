import { GrantkitError, type StoredToken, type TokenLock, type TokenStore } from '@grantkit/core';
import { tokenCipher } from '@grantkit/core/token-cipher';
import { bounded } from './bounded.js';
import { compareAndDelete } from './compare-and-delete.js';
import { keyFromSecret } from './key-derivation.js';
import { type RedisCommands, type RedisStoreClient, redisCommands } from './redis-client.js';

/**
 * Options of {@link redisTokenStore}. Give exactly one of `encryptionKey` and `clientSecret`.
 *
 * @example
 * ```ts
 * const options: RedisTokenStoreOptions = {
 *   client,
 *   encryptionKey: Buffer.from(process.env.TOKEN_KEY!, 'base64'),
 *   timeoutMs: 100,
 * };
 * ```
 */
export type RedisTokenStoreOptions = {
  /**
   * A connected client: node-redis v5/v6 (`createClient`, `createCluster`, `createSentinel`) or ioredis
   * v5 (`new Redis`, `new Redis.Cluster`). Give it an `error` listener.
   */
  readonly client: RedisStoreClient;
  /** Prepended to every Redis key. Default `'grantkit:'`. */
  readonly prefix?: string | undefined;
  /** Every Redis operation gives up after this long, and the source goes on without Redis. Default 250 ms. */
  readonly timeoutMs?: number | undefined;
} & (
  | {
      /**
       * 32 random bytes (e.g. `Buffer.from(process.env.TOKEN_KEY, 'base64')`), the same on every instance.
       * Recommended for production: read access to Redis then reveals nothing about any secret.
       */
      readonly encryptionKey: Uint8Array;
      readonly clientSecret?: never;
      readonly salt?: never;
    }
  | {
      /**
       * The OAuth client secret: the encryption key is derived from it with PBKDF2-SHA-256 (600 000
       * iterations, once per secret and salt in a process), so that guessing a weak secret from a value
       * read in Redis is slow.
       */
      readonly clientSecret: string;
      /** A value of your deployment's own (the same on every instance): a salt for the derivation. */
      readonly salt?: string | Uint8Array | undefined;
      readonly encryptionKey?: never;
    }
);

/**
 * A {@link TokenStore} on Redis, with the optional cross-instance lock.
 *
 * @example
 * ```ts
 * const store: RedisTokenStore = redisTokenStore({ client, encryptionKey });
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

function checked(options: RedisTokenStoreOptions): RedisCommands {
  const { prefix = DEFAULT_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const commands = redisCommands(options.client);
  if (!commands)
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'client must be a node-redis or ioredis client');
  if (typeof prefix !== 'string')
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'prefix must be a string');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'timeoutMs must be a finite number > 0');
  }
  if ((options.encryptionKey === undefined) === (options.clientSecret === undefined)) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'give exactly one of encryptionKey and clientSecret');
  }
  if (
    options.clientSecret !== undefined &&
    (typeof options.clientSecret !== 'string' || !options.clientSecret)
  ) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'clientSecret must be a non-empty string');
  }
  return commands;
}

/**
 * Shares tokens across processes through Redis, so a whole fleet makes one token request per token
 * lifetime: `lock` is `SET NX PX` with a random fencing value, released by compare-and-delete. Works with
 * node-redis and ioredis, on one Redis or a Redis Cluster (the token and lock keys of a cache key share a
 * hash slot). Tokens are encrypted and authenticated at rest (AES-256-GCM, a fresh IV per write, bound to
 * the Redis key), with your key or one derived from the client secret. Every operation is bounded by
 * `timeoutMs`; when Redis is down or slow, the source reports `store-error` events and goes on with its
 * own token requests. Throws `GRANTKIT_CONFIGURATION` at once for unusable options.
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
 *   store: redisTokenStore({ client, encryptionKey: Buffer.from(process.env.TOKEN_KEY!, 'base64') }),
 * });
 * ```
 */
export function redisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const commands = checked(options);
  const { prefix = DEFAULT_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const cipher = tokenCipher(
    options.encryptionKey ?? keyFromSecret(options.clientSecret as string, options.salt),
  );
  // The hash tag `{…}` puts a cache key's token and lock in one cluster slot.
  const tokenKey = (key: string): string => `${prefix}token:{${key}}`;
  const lockKey = (key: string): string => `${prefix}lock:{${key}}`;
  const redis = <T>(operation: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    bounded(operation, timeoutMs, run);
  const release = (key: string, value: string): Promise<void> =>
    redis('compare-and-delete', (signal) => commands.eval(compareAndDelete, key, value, signal)).then(
      () => undefined,
    );
  const read = async (key: string): Promise<string | undefined> => {
    const value = await redis('get', (signal) => commands.get(key, signal));
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
      await redis('set', (signal) => commands.set(tokenKey(key), value, px(ttlMs), false, signal));
    },

    async delete(key: string, accessToken?: string): Promise<void> {
      if (accessToken === undefined) {
        await redis('delete', (signal) => commands.del(tokenKey(key), signal));
        return;
      }
      // The value is sealed with a random IV, so compare the token in here, then delete that exact value.
      const value = await read(tokenKey(key));
      if (value === undefined) return;
      const stored = await cipher.open(tokenKey(key), value).catch(() => undefined);
      if (stored?.accessToken === accessToken) await release(tokenKey(key), value);
    },

    async lock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
      const fence = crypto.randomUUID();
      let taken: boolean;
      try {
        taken = await redis('lock', (signal) => commands.set(lockKey(key), fence, px(ttlMs), true, signal));
      } catch (error) {
        // The SET may still land after we gave up: take back a lock nobody would release.
        release(lockKey(key), fence).catch(() => {});
        throw error;
      }
      return taken ? { release: () => release(lockKey(key), fence) } : undefined;
    },
  };
}
