import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles a Worker's entry for workerd as `wrangler deploy` would: one ES module, platform neutral, the
 * packages resolved through their `exports` with the `workerd` conditions. Returns the script text, for
 * Miniflare's `script` option.
 *
 * @example
 * ```ts
 * const script = await bundleWorker(new URL('./worker.ts', import.meta.url));
 * const mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' });
 * ```
 */
export async function bundleWorker(entry: URL): Promise<string> {
  const bundled = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  const script = bundled.outputFiles[0]?.text;
  if (!script) throw new Error(`esbuild wrote nothing for ${entry.href}`);
  return script;
}
