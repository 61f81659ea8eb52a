#!/usr/bin/env node
// check:packages — every public package in packages/* must be publishable as it is packed:
//   1. manifest rules (ESM only, `types` first in exports, files, sideEffects, engines, repository, license,
//      keywords, public access, internal deps as `workspace:^`, framework peers covered by tested versions);
//   2. the packed tarball (pnpm pack, exactly what `pnpm publish` uploads): no `workspace:` left in its
//      package.json, LICENSE included, nothing but dist/ and docs;
//   3. `publint --strict` on that tarball;
//   4. `attw --profile esm-only` on that tarball.
// Exits 1 on any error. Run after `pnpm build`. Offline.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  log,
  packedManifest,
  packPackages,
  publicPackages,
  ROOT,
  readTarball,
  tempDir,
} from './lib/workspace.mjs';

const REPOSITORY_URL = 'git+https://github.com/grantkit/grantkit.git';

/** @param {import('./lib/workspace.mjs').WorkspacePackage} pkg */
function checkManifest(pkg) {
  const m = pkg.manifest;
  const errors = [];
  const warnings = [];
  const expect = (condition, message) => {
    if (!condition) errors.push(message);
  };

  expect(/^@grantkit\/[a-z0-9-]+$/.test(m.name ?? ''), `name must be @grantkit/<name>, got ${m.name}`);
  expect(/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(m.version ?? ''), `version must be semver, got ${m.version}`);
  expect(typeof m.description === 'string' && m.description.length > 10, 'description is missing');
  expect(m.type === 'module', '"type" must be "module" (ESM only)');
  expect(m.sideEffects === false, '"sideEffects" must be false');
  expect(m.license === 'MIT', '"license" must be "MIT"');
  expect(typeof m.engines?.node === 'string', '"engines.node" is missing');
  expect(Array.isArray(m.keywords) && m.keywords.length > 0, '"keywords" is missing');
  expect(m.publishConfig?.access === 'public', '"publishConfig.access" must be "public"');
  expect(m.repository?.url === REPOSITORY_URL, `"repository.url" must be ${REPOSITORY_URL}`);
  expect(
    m.repository?.directory === `packages/${pkg.folder}`,
    `"repository.directory" must be packages/${pkg.folder}`,
  );
  expect(Array.isArray(m.files) && m.files.includes('dist'), '"files" must include "dist"');
  expect(Array.isArray(m.files) && m.files.includes('README.md'), '"files" must include "README.md"');

  if (!m.exports || typeof m.exports !== 'object' || !m.exports['.']) {
    errors.push('"exports" must map "."');
  } else {
    for (const [subpath, target] of Object.entries(m.exports)) {
      if (subpath === './package.json') continue;
      if (typeof target !== 'object' || target === null) {
        errors.push(`exports["${subpath}"] must be an object with "types" and "default"`);
        continue;
      }
      const conditions = Object.keys(target);
      expect(conditions[0] === 'types', `exports["${subpath}"]: "types" must be the first condition`);
      expect(conditions.at(-1) === 'default', `exports["${subpath}"]: "default" must be the last condition`);
      expect(!('require' in target), `exports["${subpath}"]: ESM only, no "require" condition`);
      expect(/\.d\.ts$/.test(target.types ?? ''), `exports["${subpath}"].types must point at a .d.ts file`);
      expect(/\.js$/.test(target.default ?? ''), `exports["${subpath}"].default must point at a .js file`);
    }
    expect('./package.json' in m.exports, 'exports should include "./package.json"');
    const root = m.exports['.'];
    if (m.main !== undefined) expect(m.main === root.default, '"main" must equal exports["."].default');
    if (m.types !== undefined) expect(m.types === root.types, '"types" must equal exports["."].types');
  }

  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(m[field] ?? {})) {
      if (String(spec).startsWith('workspace:') && spec !== 'workspace:^') {
        errors.push(
          `${field}.${dep}: use "workspace:^" so the published range is a caret range, not ${spec}`,
        );
      }
    }
  }
  for (const dep of Object.keys(m.peerDependencies ?? {})) {
    expect(!(dep in (m.dependencies ?? {})), `${dep} is both a dependency and a peer dependency`);
  }
  checkPeerRanges(m, errors, warnings);
  return { errors, warnings };
}

/**
 * A peer range is only as good as the versions the package's tests run against: at least one dev dependency
 * (the peer itself or an `npm:` alias of it) must satisfy the range, and every major the range admits should
 * be tested by one of them.
 */
function checkPeerRanges(m, errors, warnings) {
  for (const [peer, range] of Object.entries(m.peerDependencies ?? {})) {
    const admitted = String(range)
      .split('||')
      .map((part) => part.trim().match(/^[\^~]?(\d+)\.(\d+)\.(\d+)$/))
      .filter(Boolean)
      .map(([, major, minor, patch]) => ({ major: +major, floor: [+major, +minor, +patch] }));
    if (admitted.length === 0) {
      warnings.push(`peerDependencies.${peer} "${range}" is not a list of caret ranges; not verified`);
      continue;
    }
    const tested = Object.entries(m.devDependencies ?? {})
      .map(([name, spec]) => {
        const aliased = String(spec).match(/^npm:(@?[^@]+)@(.+)$/);
        const real = aliased ? aliased[1] : name;
        const version = (aliased ? aliased[2] : String(spec)).match(/(\d+)\.(\d+)\.(\d+)/);
        return real === peer && version ? [+version[1], +version[2], +version[3]] : null;
      })
      .filter(Boolean);
    const within = (v) =>
      admitted.some(
        ({ major, floor }) => v[0] === major && compare(v, floor) >= 0 && (major > 0 || v[1] === floor[1]),
      );
    if (!tested.some(within)) {
      errors.push(
        `peerDependencies.${peer} "${range}": no devDependency (or npm: alias) in that range is tested`,
      );
    }
    for (const { major } of admitted) {
      if (!tested.some((v) => v[0] === major)) {
        warnings.push(
          `peerDependencies.${peer} admits ${peer}@${major} but no devDependency tests major ${major}`,
        );
      }
    }
  }
}

const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** @param {Map<string, Buffer>} files the packed tarball's contents */
function checkTarball(files) {
  const errors = [];
  const warnings = [];
  const { raw, manifest } = packedManifest(files);
  if (raw.includes('workspace:')) {
    errors.push('packed package.json still contains a "workspace:" range');
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (dep.startsWith('@grantkit/') && !/^\^\d+\.\d+\.\d+/.test(spec)) {
        errors.push(`packed ${field}.${dep} is "${spec}", expected a caret range`);
      }
    }
  }
  const paths = [...files.keys()].map((path) => path.replace(/^package\//, ''));
  if (!paths.includes('LICENSE')) errors.push('tarball has no LICENSE');
  if (!paths.includes('README.md'))
    warnings.push('tarball has no README.md (the registry page will be empty)');
  const stray = paths.filter((path) =>
    /(^src\/|\.test(-d)?\.|\.tsbuildinfo$|^tsconfig|^tsdown\.config)/.test(path),
  );
  if (stray.length > 0) errors.push(`tarball contains files users do not need: ${stray.join(', ')}`);
  return { errors, warnings, paths };
}

async function runPublint(files) {
  const packFiles = [...files].map(([name, data]) => ({ name, data: new Uint8Array(data) }));
  const { messages, pkg } = await publint({ pkgDir: 'package', pack: { files: packFiles }, strict: true });
  return messages.map(
    (message) => `publint ${message.type}: ${formatMessage(message, pkg, { color: false })}`,
  );
}

/**
 * attw's CLI starts TypeScript once per package; its core library, loaded once, runs the same analysis.
 * `--profile esm-only` ignores the node10 and node16-from-CJS resolutions, exactly as here.
 */
async function loadAttw() {
  const cli = realpathSync(join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'package.json'));
  const core = await import(pathToFileURL(createRequire(cli).resolve('@arethetypeswrong/core')).href);
  const ignoredResolutions = ['node10', 'node16-cjs'];
  return async (tarball) => {
    const analysis = await core.checkPackage(
      core.createPackageFromTarballData(new Uint8Array(readFileSync(tarball))),
    );
    if (!analysis.types) return ['attw: the package ships no types'];
    return analysis.problems
      .filter((problem) => !ignoredResolutions.includes(problem.resolutionKind))
      .map((problem) => {
        const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(', ');
        return `attw --profile esm-only: ${problem.kind}${where ? ` (${where})` : ''} — see https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/${problem.kind}.md`;
      });
  };
}

async function main() {
  const packages = publicPackages();
  const missingDist = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (missingDist.length > 0) {
    log.fail(
      `dist/ is missing in ${missingDist.map((pkg) => pkg.folder).join(', ')}: run \`pnpm build\` first`,
    );
    process.exit(1);
  }
  const attw = await loadAttw();
  const { dir: packDir, cleanup } = tempDir('grantkit-check-packages');
  let failed = 0;
  try {
    const tarballs = packPackages(packages, packDir);
    for (const pkg of packages) {
      log.step(`${pkg.name}@${pkg.version}${pkg.placeholder ? ' (placeholder: no exports yet)' : ''}`);
      const manifest = checkManifest(pkg);
      const files = readTarball(tarballs.get(pkg.name));
      const packed = checkTarball(files);
      log.ok(`packed ${packed.paths.length} files: ${packed.paths.sort().join(', ')}`);

      const publintProblems = await runPublint(files);
      if (publintProblems.length === 0) log.ok('publint --strict: clean');
      const attwProblems = await attw(tarballs.get(pkg.name));
      if (attwProblems.length === 0) log.ok('attw --profile esm-only: no problems');

      const errors = [...manifest.errors, ...packed.errors, ...publintProblems, ...attwProblems];
      for (const warning of [...manifest.warnings, ...packed.warnings]) log.warn(warning);
      for (const error of errors) log.fail(error);
      if (errors.length > 0) failed += 1;
      else log.ok('manifest and tarball OK');
    }
  } finally {
    cleanup();
  }

  console.log(
    `\ncheck:packages: ${packages.length - failed}/${packages.length} packages publishable` +
      (failed > 0 ? ` — ${failed} with errors` : ''),
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
