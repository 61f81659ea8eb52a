/**
 * The part of a node-redis client (v5 or v6) that the store uses: a client from `createClient()`, a cluster
 * from `createCluster()` or a sentinel fits it, whatever its modules, scripts or RESP version.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { NodeRedisStoreClient } from '@grantkit/redis';
 *
 * const client: NodeRedisStoreClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface NodeRedisStoreClient {
  /** `GET key`. */
  get(key: string): Promise<unknown>;
  /** `SET key value PX ttl [NX]`. */
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
  /** `EVAL script keys args`: the compare-and-delete script. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A view of the client whose commands are dropped from the queue when `signal` aborts. */
  withAbortSignal?(signal: AbortSignal): NodeRedisStoreClient;
}

/**
 * The part of an ioredis (v5) client that the store uses: a `new Redis()` or a `new Redis.Cluster()`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { IoRedisStoreClient } from '@grantkit/redis';
 *
 * const client: IoRedisStoreClient = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface IoRedisStoreClient {
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttl NX`. */
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<'OK' | null>;
  /** `DEL key`. */
  del(...keys: string[]): Promise<number>;
  /** `EVAL script numkeys key... arg...`: the compare-and-delete script. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** ioredis' own way to add scripts: how the store tells an ioredis client from a node-redis one. */
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
}

/**
 * A client the store can use: node-redis (v5/v6: client, cluster or sentinel) or ioredis (v5: client or
 * cluster). Only the shapes are named here, so the store imports neither library at run time.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisStoreClient } from '@grantkit/redis';
 *
 * const client: RedisStoreClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export type RedisStoreClient = NodeRedisStoreClient | IoRedisStoreClient;

/** The four commands the store sends, the same for either library. */
export interface RedisCommands {
  /** The value, or `null` when there is none. */
  get(key: string, signal: AbortSignal): Promise<unknown>;
  /** `SET PX` (and `NX` when `onlyIfAbsent`): true when the value was written. */
  set(
    key: string,
    value: string,
    ttlMs: number,
    onlyIfAbsent: boolean,
    signal: AbortSignal,
  ): Promise<boolean>;
  del(key: string, signal: AbortSignal): Promise<unknown>;
  eval(script: string, key: string, arg: string, signal: AbortSignal): Promise<unknown>;
}

const isIoRedis = (client: RedisStoreClient): client is IoRedisStoreClient =>
  typeof (client as Partial<IoRedisStoreClient>).defineCommand === 'function';

/** A client of either library as {@link RedisCommands}; `undefined` when it is neither. */
export function redisCommands(client: unknown): RedisCommands | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const known = client as RedisStoreClient;
  if (typeof known.get !== 'function' || typeof known.set !== 'function' || typeof known.eval !== 'function')
    return undefined;
  if (isIoRedis(known)) {
    // ioredis takes no signal: the store's own timeout bounds each command.
    return {
      get: (key) => known.get(key),
      set: async (key, value, ttlMs, onlyIfAbsent) =>
        (await (onlyIfAbsent
          ? known.set(key, value, 'PX', ttlMs, 'NX')
          : (known.set as (...args: unknown[]) => Promise<unknown>)(key, value, 'PX', ttlMs))) !== null,
      del: (key) => known.del(key),
      eval: (script, key, arg) => known.eval(script, 1, key, arg),
    };
  }
  const on = (signal: AbortSignal): NodeRedisStoreClient => known.withAbortSignal?.(signal) ?? known;
  return {
    get: (key, signal) => on(signal).get(key),
    set: async (key, value, ttlMs, onlyIfAbsent, signal) => {
      const expiration = { type: 'PX', value: ttlMs } as const;
      const reply = await on(signal).set(
        key,
        value,
        onlyIfAbsent ? { expiration, condition: 'NX' } : { expiration },
      );
      return reply !== null && reply !== undefined;
    },
    del: (key, signal) => on(signal).del(key),
    eval: (script, key, arg, signal) => on(signal).eval(script, { keys: [key], arguments: [arg] }),
  };
}
