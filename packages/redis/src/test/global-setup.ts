import type { TestProject } from 'vitest/node';
import { buildFleetWorker } from './build-worker.js';
import { type RedisCluster, type RedisServer, startRedisCluster, startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** The ports of a 3-node Redis Cluster on 127.0.0.1. */
    clusterPorts: number[];
    fleetWorker: string;
  }
}

let server: RedisServer | undefined;
let cluster: RedisCluster | undefined;

/** One redis-server and one Redis Cluster for the whole suite; tests that stop Redis start their own. */
export async function setup(project: TestProject): Promise<void> {
  const [started, startedCluster, worker] = await Promise.all([
    startRedisServer(),
    startRedisCluster(),
    buildFleetWorker(),
  ]);
  server = started;
  cluster = startedCluster;
  project.provide('redisUrl', server.url);
  project.provide('clusterPorts', [...cluster.ports]);
  project.provide('fleetWorker', worker);
}

export async function teardown(): Promise<void> {
  await Promise.all([server?.stop(), cluster?.stop()]);
}
