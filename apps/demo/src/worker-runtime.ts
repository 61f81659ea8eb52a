import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

/** The demo worker running in workerd, reachable on a loopback URL. */
export interface RunningWorker {
  readonly url: string;
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

/** Starts `dist/worker.js` (the bundled `src/worker/worker.ts`) in workerd with Miniflare on a free port. */
export async function startWorker(bindings: WorkerBindings): Promise<RunningWorker> {
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: fileURLToPath(new URL('./worker.js', import.meta.url)),
    compatibilityDate: '2025-09-01',
    bindings: { ...bindings },
    host: '127.0.0.1',
    port: 0,
  });
  const url = await miniflare.ready;
  return { url: url.origin, close: () => miniflare.dispose() };
}
