import { clientCredentials, type StoredToken } from '@grantkit/core';
import { type AuthServer, createAuthServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisTokenStore } from './redis-token-store.js';
import type { TestClient } from './test/clients.js';
import { clusterLibraries } from './test/cluster-clients.js';

// A real 3-node Redis Cluster (global setup), through both libraries' cluster clients.
const ports = inject('clusterPorts');
const encryptionKey = crypto.getRandomValues(new Uint8Array(32));
/** A plain connection to one node, for what a cluster client does not expose the same way. */
const node = new Redis(ports[0] ?? 0, '127.0.0.1', { lazyConnect: true });
node.on('error', () => {});
let auth: AuthServer;
let authServer: RunningServer;
let run = 0;

beforeAll(async () => {
  await node.connect();
  auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 's3cret' } } } } });
  authServer = await listen(auth.app);
});
afterAll(async () => {
  node.disconnect();
  await authServer.close();
});

const token: StoredToken = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJl',
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  receivedAt: 1_899_996_400_000,
};
/** Cache keys whose slots fall on every node of the cluster. */
const keys = Array.from({ length: 12 }, (_, index) => `grantkit:v1:${index.toString(16).padStart(64, '0')}`);
const keyslot = (key: string): Promise<unknown> => node.call('CLUSTER', 'KEYSLOT', key);

describe.each(clusterLibraries)('redisTokenStore on a Redis Cluster with $name', (library) => {
  const clients: TestClient[] = [];
  beforeAll(async () => {
    clients.push(...(await Promise.all([1, 2, 3].map(() => library.connect(ports)))));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });
  const client = (index = 0): TestClient => clients[index] as TestClient;

  it("keeps a cache key's token and lock in one hash slot, and compare-and-deletes them there", async () => {
    const prefix = `cluster${process.pid}-${++run}:`;
    const store = redisTokenStore({ client: client().client, prefix, encryptionKey });
    const slots = new Set<unknown>();
    for (const key of keys) {
      const [tokenSlot, lockSlot] = await Promise.all([
        keyslot(`${prefix}token:{${key}}`),
        keyslot(`${prefix}lock:{${key}}`),
      ]);
      expect(lockSlot).toBe(tokenSlot);
      slots.add(tokenSlot);

      await store.set(key, token, 60_000);
      expect(await store.get(key)).toEqual(token);
      const lock = await store.lock(key, 60_000);
      expect(lock).toBeDefined();
      expect(await store.lock(key, 60_000)).toBeUndefined();
      await lock?.release(); // the compare-and-delete script, on the key's node
      expect(await store.lock(key, 60_000)).toBeDefined();
      await store.delete(key, 'another token');
      expect(await store.get(key)).toEqual(token);
      await store.delete(key, token.accessToken); // compare-and-delete again
      expect(await store.get(key)).toBeUndefined();
    }
    expect(slots.size).toBe(keys.length);
  });

  it('makes one token request for three instances × 50 concurrent cold callers', async () => {
    const prefix = `cluster${process.pid}-${++run}:`;
    auth.reset();
    const sources = clients.map(({ client }) =>
      clientCredentials({
        tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
        clientId: 'svc',
        clientSecret: 's3cret',
        allowInsecureRequests: true,
        store: redisTokenStore({ client, prefix, encryptionKey }),
      }),
    );
    const tokens = await Promise.all(
      sources.flatMap((source) => Array.from({ length: 50 }, () => source.getToken())),
    );
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(auth.tokenRequests).toBe(1);
  });
});
