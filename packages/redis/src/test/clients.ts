import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisStoreClient } from '../redis-client.js';

/** A connected client of one library, for a store under test. */
export interface TestClient {
  readonly client: RedisStoreClient;
  close(): Promise<void>;
}

/** Both libraries the store supports, each connected to one Redis at `url`. */
export const libraries: ReadonlyArray<{
  name: string;
  connect(url: string): Promise<TestClient>;
  /** A client of a Redis that is not there (nothing listens on port 1). */
  offline(): TestClient;
}> = [
  {
    name: 'node-redis',
    async connect(url) {
      const client = createClient({ url });
      client.on('error', () => {});
      await client.connect();
      return { client, close: async () => client.destroy() };
    },
    offline() {
      const client = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: () => 1_000 } });
      client.on('error', () => {});
      client.connect().catch(() => {});
      return { client, close: async () => client.destroy() };
    },
  },
  {
    name: 'ioredis',
    async connect(url) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      await client.connect();
      return { client, close: async () => client.disconnect() };
    },
    offline() {
      const client = new Redis('redis://127.0.0.1:1', { retryStrategy: () => 1_000 });
      client.on('error', () => {});
      return { client, close: async () => client.disconnect() };
    },
  },
];
