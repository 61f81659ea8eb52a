export type { IoRedisStoreClient, NodeRedisStoreClient, RedisStoreClient } from './redis-client.js';
export { type RedisTokenStore, type RedisTokenStoreOptions, redisTokenStore } from './redis-token-store.js';
