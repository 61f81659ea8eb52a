import { fileURLToPath } from 'node:url';
import { build } from 'tsdown';

const root = new URL('../../', import.meta.url);

/**
 * Bundles the fleet worker from this package's sources (dependencies stay imports), so forked processes
 * run the code under test on Node 20, which cannot run TypeScript itself. Returns the worker's path.
 */
export async function buildFleetWorker(): Promise<string> {
  const outDir = fileURLToPath(new URL('node_modules/.cache/grantkit-fleet/', root));
  await build({
    config: false,
    cwd: fileURLToPath(root),
    entry: { 'fleet-worker': fileURLToPath(new URL('fleet-worker.ts', import.meta.url)) },
    outDir,
    format: 'esm',
    platform: 'node',
    dts: false,
    clean: true,
    logLevel: 'warn',
    deps: { neverBundle: [/^[^./]/] },
  });
  return `${outDir}fleet-worker.mjs`;
}
