/**
 * The one build configuration of every published package. Each package's `tsdown.config.ts` is the line
 * `export { default } from '../../tsdown.config.base';` — a new package adopts it the same way.
 *
 * - Entries come from the package's `exports` (and `bin`): `./dist/<name>.js` is built from `src/<name>.ts`, so a new
 *   subpath needs no config change.
 * - ESM only, with bundled `.d.ts`, for the `neutral` platform (edge runtimes included); `node:` built-ins
 *   stay imports (only Node-only entries such as `@grantkit/testing/node` use them).
 * - After each build tsdown packs the package as `pnpm publish` would and runs `publint --strict` and
 *   `arethetypeswrong --profile esm-only` on that tarball; any problem fails the build (`level: 'error'`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsdown';

interface Manifest {
  readonly name?: string;
  readonly exports?: Record<string, string | { readonly default?: string }>;
  readonly bin?: string | Record<string, string>;
}

const packageDir = process.cwd();
const manifest: Manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** `./dist/node.js` in `exports` → `src/node.ts`. */
function entries(): string[] {
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const targets = Object.values(manifest.exports ?? {})
    .flatMap((target) => (typeof target === 'object' && target.default ? [target.default] : []))
    .concat(bins);
  const sources = targets.map((target) => target.replace(/^\.\/dist\/(.+)\.js$/, 'src/$1.ts'));
  const missing = sources.filter(
    (source) => !source.startsWith('src/') || !existsSync(join(packageDir, source)),
  );
  if (sources.length === 0 || missing.length > 0) {
    throw new Error(
      `${manifest.name}: every "exports" target must be ./dist/<name>.js built from src/<name>.ts (missing: ${missing.join(', ') || 'exports'})`,
    );
  }
  return sources;
}

export default defineConfig({
  entry: entries(),
  format: 'esm',
  dts: true,
  platform: 'neutral',
  deps: { neverBundle: [/^node:/] },
  publint: { strict: true },
  attw: { profile: 'esm-only', level: 'error' },
});
