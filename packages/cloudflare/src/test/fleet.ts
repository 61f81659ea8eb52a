import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorker } from '@grantkit/test-servers/workerd';
import { Miniflare } from 'miniflare';

/** What one burst of concurrent requests to one Worker saw. */
export interface Burst {
  readonly tokens: readonly string[];
  readonly failures: number;
  /** What the failures were (an error code, or how the request failed), for failure messages. */
  readonly errors: readonly string[];
}

/** Several Workers (an isolate each) in one workerd, sharing one Durable Object namespace. */
export interface WorkerFleet {
  readonly size: number;
  /** `callers` concurrent requests to Worker `index` for a token from `tokenUrl`. */
  burst(index: number, callers: number, query: Record<string, string>, signal?: AbortSignal): Promise<Burst>;
  /** Whether Worker `index`'s lock for `tokenUrl` is free now. */
  lockFree(index: number, query: Record<string, string>): Promise<boolean>;
  /** Every byte the Durable Objects wrote to disk, as Latin-1 text. */
  storageBytes(): Promise<string>;
  dispose(): Promise<void>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `size` Workers; the first defines the namespace's class, the others bind it by script name. */
export async function startWorkerFleet(size: number): Promise<WorkerFleet> {
  const script = await bundleWorker(new URL('worker.ts', import.meta.url));
  const persist = await mkdtemp(join(tmpdir(), 'grantkit-do-'));
  const tokenKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const names = Array.from({ length: size }, (_, index) => `fleet-${index}`);
  const mf = new Miniflare({
    durableObjectsPersist: persist,
    workers: names.map((name, index) => ({
      name,
      modules: true,
      script,
      compatibilityDate: '2026-04-01',
      bindings: { TOKEN_KEY: tokenKey },
      durableObjects: {
        GRANTKIT_TOKENS:
          index === 0 ? 'TokenStoreObject' : { className: 'TokenStoreObject', scriptName: names[0] },
      },
    })),
  });
  await mf.ready;
  const workers = await Promise.all(names.map((name) => mf.getWorker(name)));
  const call = (index: number, path: string, query: Record<string, string>, signal?: AbortSignal) =>
    (workers[index] as (typeof workers)[number]).fetch(
      `http://fleet.test${path}?${new URLSearchParams(query)}`,
      signal ? { signal } : {},
    );

  return {
    size,
    async burst(index, callers, query, signal) {
      const settled = await Promise.allSettled(
        Array.from({ length: callers }, async () => {
          const response = await call(index, '/token', query, signal);
          const body = (await response.json()) as { token?: string; error?: string };
          if (!body.token) throw new Error(body.error ?? `status ${response.status}`);
          return body.token;
        }),
      );
      const tokens = new Set<string>();
      const errors = new Set<string>();
      let failures = 0;
      for (const result of settled) {
        if (result.status === 'fulfilled') tokens.add(result.value);
        else {
          failures += 1;
          errors.add(String((result.reason as Error)?.message ?? result.reason));
        }
      }
      return { tokens: [...tokens], failures, errors: [...errors] };
    },
    async lockFree(index, query) {
      const response = await call(index, '/lock-free', query);
      return ((await response.json()) as { free: boolean }).free;
    },
    async storageBytes() {
      const files = await filesUnder(persist);
      const contents = await Promise.all(files.map((file) => readFile(file)));
      return contents.map((bytes) => bytes.toString('latin1')).join('\n');
    },
    async dispose() {
      await mf.dispose();
      await rm(persist, { recursive: true, force: true });
    },
  };
}
