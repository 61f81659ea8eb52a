import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import type { TestClient } from './clients.js';

/** Both libraries' cluster clients, each connected to the cluster on `ports` of 127.0.0.1. */
export const clusterLibraries: ReadonlyArray<{
  name: string;
  connect(ports: readonly number[]): Promise<TestClient>;
}> = [
  {
    name: 'node-redis createCluster',
    async connect(ports) {
      const client = createCluster({
        rootNodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
      });
      client.on('error', () => {});
      await client.connect();
      return { client, close: async () => client.destroy() };
    },
  },
  {
    name: 'ioredis Cluster',
    async connect(ports) {
      const client = new Cluster(
        ports.map((port) => ({ host: '127.0.0.1', port })),
        { lazyConnect: true },
      );
      client.on('error', () => {});
      await client.connect();
      return { client, close: async () => client.disconnect() };
    },
  },
];
