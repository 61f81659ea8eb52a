import type { TokenStore } from '@grantkit/core';
import { createClient, createCluster, createSentinel } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisStoreClient } from './redis-client.js';
import { type RedisTokenStore, type RedisTokenStoreOptions, redisTokenStore } from './redis-token-store.js';

describe('RedisStoreClient', () => {
  it('accepts node-redis clients, clusters and sentinels, RESP2 and RESP3', () => {
    expectTypeOf(createClient()).toExtend<RedisStoreClient>();
    expectTypeOf(createClient({ RESP: 3 })).toExtend<RedisStoreClient>();
    expectTypeOf(createCluster({ rootNodes: [] })).toExtend<RedisStoreClient>();
    expectTypeOf(createSentinel({ name: 'mymaster', sentinelRootNodes: [] })).toExtend<RedisStoreClient>();
  });
});

describe('redisTokenStore', () => {
  it('is a TokenStore with a lock', () => {
    expectTypeOf(redisTokenStore).returns.toExtend<TokenStore>();
    expectTypeOf<RedisTokenStore['lock']>().toBeFunction();
  });

  it('takes exactly one of encryptionKey and clientSecret', () => {
    const client = createClient();
    expectTypeOf({ client, clientSecret: 's' }).toExtend<RedisTokenStoreOptions>();
    expectTypeOf({ client, encryptionKey: new Uint8Array(32) }).toExtend<RedisTokenStoreOptions>();
    expectTypeOf({ client }).not.toExtend<RedisTokenStoreOptions>();
    expectTypeOf({
      client,
      clientSecret: 's',
      encryptionKey: new Uint8Array(32),
    }).not.toExtend<RedisTokenStoreOptions>();
  });
});
