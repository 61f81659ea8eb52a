#!/usr/bin/env node
// check:packages — the rules of a Grantkit package that no tool checks, for every public package in
// packages/* (from its package.json; no build needed):
//   1. it builds with the shared tsdown config (`tsdown.config.base.ts`), which runs `publint --strict` and
//      `attw --profile esm-only` on the packed tarball after every build — those checks live there;
//   2. manifest conventions publint does not require: ESM only (no `require` condition), `sideEffects`,
//      `engines`, `repository`, `license`, `keywords`, public access, `files`, internal deps as
//      `workspace:^` (published as caret ranges), no dependency that is also a peer;
//   3. framework peer ranges covered by the versions the package's tests run against.
// What the tarball contains (LICENSE, no sources, no `workspace:` left) is checked by `test:tarballs` on the
// installed tarballs. Exits 1 on any error. Offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, publicPackages } from './lib/workspace.mjs';

const SHARED_CONFIG = "export { default } from '../../tsdown.config.base';";

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
      // Condition order and that the files exist and are ESM with types: publint and attw, in the build.
      expect(!('require' in target), `exports["${subpath}"]: ESM only, no "require" condition`);
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
  checkBuild(pkg, errors);
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

/** The build is the shared one, so publint and attw run on this package too. */
function checkBuild(pkg, errors) {
  const config = join(pkg.dir, 'tsdown.config.ts');
  const text = existsSync(config) ? readFileSync(config, 'utf8').trim() : '';
  if (text !== SHARED_CONFIG) {
    errors.push(`tsdown.config.ts must be the shared config, the one line: ${SHARED_CONFIG}`);
  }
  if (pkg.manifest.scripts?.build !== 'tsdown') errors.push('"scripts.build" must be "tsdown"');
}

function main() {
  const packages = publicPackages();
  let failed = 0;
  for (const pkg of packages) {
    log.step(`${pkg.name}@${pkg.version}${pkg.placeholder ? ' (placeholder: no exports yet)' : ''}`);
    const { errors, warnings } = checkManifest(pkg);
    for (const warning of warnings) log.warn(warning);
    for (const error of errors) log.fail(error);
    if (errors.length > 0) failed += 1;
    else log.ok('manifest and build config OK');
  }
  console.log(
    `\ncheck:packages: ${packages.length - failed}/${packages.length} packages follow the package rules` +
      (failed > 0 ? ` — ${failed} with errors` : ''),
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
