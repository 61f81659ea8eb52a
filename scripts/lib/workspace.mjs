// Shared helpers for the release tooling: find the public packages and pack them the way `pnpm publish`
// does. Node built-ins only, so it runs before any build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const PACKAGES_DIR = join(ROOT, 'packages');

/**
 * @typedef {object} WorkspacePackage
 * @property {string} dir        absolute directory
 * @property {string} folder     folder name under packages/
 * @property {string} name
 * @property {string} version
 * @property {Record<string, any>} manifest  package.json as written in the workspace
 * @property {boolean} placeholder           src/index.ts exports nothing yet
 * @property {string[]} subpaths             import specifiers from `exports` (without ./package.json)
 */

/** Every non-private package under packages/, sorted by folder name. @returns {WorkspacePackage[]} */
export function publicPackages() {
  return readdirSync(PACKAGES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(PACKAGES_DIR, entry.name, 'package.json')))
    .map((entry) => readPackage(join(PACKAGES_DIR, entry.name)))
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** @param {string} dir @returns {WorkspacePackage} */
function readPackage(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const exportKeys =
    manifest.exports && typeof manifest.exports === 'object' ? Object.keys(manifest.exports) : ['.'];
  return {
    dir,
    folder: dir.slice(PACKAGES_DIR.length + 1),
    name: manifest.name,
    version: manifest.version,
    manifest,
    placeholder: isPlaceholder(dir),
    subpaths: exportKeys
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
  };
}

/** A package whose src/index.ts is empty or only `export {};` has no code yet. */
function isPlaceholder(dir) {
  const entry = join(dir, 'src', 'index.ts');
  if (!existsSync(entry)) return true;
  const code = readFileSync(entry, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\s+/g, '');
  return code === '' || code === 'export{};' || code === 'export{}';
}

/** Runs a command; throws with its output when it fails. Returns stdout. */
export function run(
  command,
  args,
  { cwd = ROOT, inherit = false, env = process.env, allowFailure = false } = {},
) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: inherit ? 'inherit' : 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !allowFailure) {
    const output = inherit ? '' : `\n${result.stdout ?? ''}${result.stderr ?? ''}`;
    throw new Error(
      `${command} ${args.join(' ')} failed with exit code ${result.status} (in ${cwd})${output}`,
    );
  }
  return result;
}

/** A fresh directory outside the workspace, removed by the returned cleanup. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Packs packages with one `pnpm pack` run: that is what `pnpm publish` uploads — `workspace:` ranges are
 * rewritten, `publishConfig` is applied and the workspace root LICENSE is added when a package has none.
 * @param {WorkspacePackage[]} packages @param {string} destination
 * @returns {Map<string, string>} package name → absolute tarball path
 */
export function packPackages(packages, destination) {
  if (packages.length === 0) return new Map();
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name]);
  run('pnpm', ['--recursive', ...filters, 'pack', '--pack-destination', destination]);
  const tarballs = new Map();
  for (const pkg of packages) {
    const tarball = join(destination, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack did not produce ${tarball}`);
    tarballs.set(pkg.name, tarball);
  }
  return tarballs;
}

/** Small console helpers shared by the scripts. */
export const log = {
  step: (message) => console.log(`\n▶ ${message}`),
  ok: (message) => console.log(`  ✔ ${message}`),
  skip: (message) => console.log(`  ↷ ${message}`),
  warn: (message) => console.log(`  ⚠ ${message}`),
  fail: (message) => console.log(`  ✖ ${message}`),
};
