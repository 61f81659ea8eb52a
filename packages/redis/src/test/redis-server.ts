import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const script = fileURLToPath(new URL('../../../../scripts/redis-server.sh', import.meta.url));
const run = promisify(execFile);

/** A throwaway redis-server on a free loopback port (installed first when missing). */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a redis-server with `scripts/redis-server.sh`; `port` restarts one on a known port. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const args = port === undefined ? ['start'] : ['start', String(port)];
  const { stdout } = await run(script, args, { timeout: 300_000 });
  const started = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isInteger(started)) throw new Error(`redis-server.sh printed no port: ${stdout}`);
  return {
    port: started,
    url: `redis://127.0.0.1:${started}`,
    stop: async () => {
      await run(script, ['stop', String(started)]);
    },
  };
}

const clusterScript = fileURLToPath(new URL('../../../../scripts/redis-cluster.sh', import.meta.url));

/** A throwaway 3-node Redis Cluster (no replicas) on free loopback ports. */
export interface RedisCluster {
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** Starts a cluster with `scripts/redis-cluster.sh`. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const { stdout } = await run(clusterScript, ['start'], { timeout: 300_000 });
  const ports = (stdout.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  if (ports.length !== 3 || !ports.every(Number.isInteger)) {
    throw new Error(`redis-cluster.sh printed no ports: ${stdout}`);
  }
  return {
    ports,
    stop: async () => {
      await run(clusterScript, ['stop', ...ports.map(String)]);
    },
  };
}
