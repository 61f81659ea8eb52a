/**
 * The part of a node-redis client (v5 or v6) that the store uses: a client from `createClient()`, a cluster
 * from `createCluster()` or a sentinel fits it, whatever its modules, scripts or RESP version. Only the
 * shape is named here, so the store imports nothing from `redis` at run time.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisStoreClient } from '@grantkit/redis';
 *
 * const client: RedisStoreClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface RedisStoreClient {
  get(key: string): Promise<unknown>;
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis: a view of the client whose commands are dropped from the queue when `signal` aborts. */
  withAbortSignal?(signal: AbortSignal): RedisStoreClient;
}
