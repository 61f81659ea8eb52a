import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

/** The demo worker's two scripts: each runs in an isolate of its own. */
export const ISOLATES = ['demo-worker-a', 'demo-worker-b'] as const;

/** One of the worker's isolates, reachable on a loopback URL. */
export interface WorkerIsolate {
  readonly name: (typeof ISOLATES)[number];
  readonly url: string;
}

/** The demo worker running in workerd as two isolates that share one Durable Object namespace. */
export interface RunningWorker {
  readonly isolates: readonly [WorkerIsolate, WorkerIsolate];
  close(): Promise<void>;
}

/** The bindings the worker reads its configuration from. */
export interface WorkerBindings {
  readonly VERINT_DOMAIN: string;
  readonly AUTH_ORIGIN: string;
  readonly CLIENT_ID: string;
  readonly CLIENT_SECRET: string;
  readonly COACHING_API: string;
}

/**
 * Starts the bundled worker (`dist/worker.js`, from `src/worker/worker.ts`) in workerd with Miniflare, as
 * two worker scripts: the first defines the `GRANTKIT_TOKENS` namespace of `TokenStoreObject`, the second
 * binds the same namespace by script name. Both authenticate as the same client and seal the tokens they
 * store with one key, 32 random bytes made for this run. Each listens on its own free 127.0.0.1 port.
 */
export async function startWorker(
  bindings: WorkerBindings,
  script: URL = new URL('./worker.js', import.meta.url),
): Promise<RunningWorker> {
  const [first] = ISOLATES;
  const tokenKey = randomBytes(32).toString('base64');
  const miniflare = new Miniflare({
    workers: ISOLATES.map((name) => ({
      name,
      modules: true,
      scriptPath: fileURLToPath(script),
      compatibilityDate: '2025-09-01',
      bindings: { ...bindings, TOKEN_KEY: tokenKey },
      durableObjects: {
        GRANTKIT_TOKENS:
          name === first ? 'TokenStoreObject' : { className: 'TokenStoreObject', scriptName: first },
      },
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    })),
    host: '127.0.0.1',
    port: 0,
  });
  await miniflare.ready;
  const [a, b] = await Promise.all(
    ISOLATES.map(async (name) => ({ name, url: (await miniflare.unsafeGetDirectURL(name)).origin })),
  );
  return { isolates: [a as WorkerIsolate, b as WorkerIsolate], close: () => miniflare.dispose() };
}
