// Type-level use of @grantkit/redis (compiled by test:tarballs): node-redis and ioredis clients, single
// node and cluster, all fit the store.
import { clientCredentials } from '@grantkit/core';
import { redisTokenStore } from '@grantkit/redis';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';

const encryptionKey = new Uint8Array(32);
export const stores = [
  redisTokenStore({ client: createClient({ url: 'redis://127.0.0.1:6379' }), clientSecret: 's3cret' }),
  redisTokenStore({ client: createCluster({ rootNodes: [] }), encryptionKey }),
  redisTokenStore({ client: new Redis(), encryptionKey }),
  redisTokenStore({ client: new Cluster([]), clientSecret: 's3cret', salt: 'deployment' }),
];
export const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's3cret',
  store: stores[0],
});
