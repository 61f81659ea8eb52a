import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The export conditions each runtime's usual bundler or loader looks for. */
export const runtimeConditions = {
  workerd: ['workerd', 'worker', 'browser'],
  'edge-light': ['edge-light', 'worker', 'browser'],
  deno: ['deno', 'worker', 'browser'],
  bun: ['bun', 'worker', 'browser'],
} as const;

export interface BundleOptions {
  /** A file under `src/`, e.g. `entries/worker.ts`, or an absolute path. */
  readonly entry: string;
  readonly conditions: readonly string[];
  readonly format?: 'esm' | 'iife';
  /** Output file name under `dist/`. */
  readonly outfile: string;
}

/**
 * Bundles an entry with the built packages (their `dist`, through their `exports`) the way an edge user's
 * bundler would: platform neutral, the runtime's conditions, nothing from Node. Returns the output path.
 */
export async function bundle(options: BundleOptions): Promise<string> {
  const outfile = join(root, 'dist', options.outfile);
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [options.entry.startsWith('/') ? options.entry : join(root, 'src', options.entry)],
    bundle: true,
    outfile,
    format: options.format ?? 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: [...options.conditions],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  return outfile;
}
