import type { TestProject } from 'vitest/node';
import { buildFleetWorker } from './build-worker.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    fleetWorker: string;
  }
}

let server: RedisServer | undefined;

/** One redis-server for the whole suite; tests that stop Redis start their own. */
export async function setup(project: TestProject): Promise<void> {
  const [started, worker] = await Promise.all([startRedisServer(), buildFleetWorker()]);
  server = started;
  project.provide('redisUrl', server.url);
  project.provide('fleetWorker', worker);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
