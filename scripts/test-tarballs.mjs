#!/usr/bin/env node
// test:tarballs — install the packed packages the way a user gets them from the registry, outside the
// workspace, and use them:
//   1. pnpm pack every public package (workspace: ranges rewritten) into a temp dir;
//   2. npm install the tarballs (+ typescript, @types/node) into a fresh project in the OS temp dir;
//      third-party dependencies and peers come from the npm registry; what each tarball unpacked is
//      checked: no `workspace:` range, caret ranges for @grantkit/*, a LICENSE, no sources or tests;
//   3. import every export subpath with Node ESM, and require() it from CJS (Node >= 20.19);
//   4. typecheck a consumer (scripts/tarball-consumer/types/<package>.ts + every subpath) with
//      moduleResolution node16 and bundler;
//   5. end to end: @grantkit/testing's fake auth server → @grantkit/core getToken → @grantkit/fetch authFetch,
//      and the `grantkit` bin of @grantkit/cli run with npx from the installed tarball.
// Placeholder packages (src/index.ts exports nothing) are installed but not exercised, with a message.
// Run after `pnpm build`. `--keep` keeps the temp project for debugging.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, packPackages, publicPackages, ROOT, run, tempDir } from './lib/workspace.mjs';

const CONSUMER_TEMPLATES = join(ROOT, 'scripts', 'tarball-consumer');
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TYPESCRIPT = JSON.parse(
  readFileSync(join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8'),
).version;
const TYPES_NODE = rootManifest.devDependencies['@types/node'];

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function supportsRequireEsm() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * What the tarball put on the user's disk (npm unpacked it): its package.json as the registry serves it
 * (no `workspace:` range left, internal dependencies as caret ranges), a LICENSE (pnpm adds the root one),
 * and nothing users do not need. Returns the installed package.json.
 */
function checkInstalled(pkg, dir) {
  const raw = readFileSync(join(dir, 'package.json'), 'utf8');
  const manifest = JSON.parse(raw);
  const errors = [];
  if (raw.includes('workspace:')) errors.push('its package.json still contains a "workspace:" range');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (dep.startsWith('@grantkit/') && !/^\^\d+\.\d+\.\d+/.test(spec)) {
        errors.push(`${field}.${dep} is "${spec}", expected a caret range`);
      }
    }
  }
  const files = readdirSync(dir, { recursive: true }).filter((path) => !path.startsWith('node_modules'));
  if (!files.includes('LICENSE')) errors.push('the tarball has no LICENSE');
  if (!files.includes('README.md')) log.warn(`${pkg.name}: no README.md (the registry page will be empty)`);
  const stray = files.filter((path) =>
    /(^src(\/|$)|\.test(-d)?\.|\.tsbuildinfo$|^tsconfig|^tsdown\.config)/.test(path),
  );
  if (stray.length > 0) errors.push(`the tarball contains files users do not need: ${stray.join(', ')}`);
  if (errors.length > 0) throw new Error(`${pkg.name}: ${errors.join('; ')}`);
  return manifest;
}

/** Imports every subpath with ESM and (where Node can) require(); both must expose the same names. */
function checkRuntimeImports(project, real) {
  const subpaths = real.flatMap((pkg) => pkg.subpaths);
  writeFileSync(
    join(project, 'esm.mjs'),
    `const names = {};
for (const specifier of ${JSON.stringify(subpaths)}) {
  const namespace = await import(specifier);
  names[specifier] = Object.keys(namespace).filter((key) => key !== 'default').sort();
  if (names[specifier].length === 0) throw new Error(specifier + ' exports nothing');
}
console.log(JSON.stringify(names));
`,
  );
  const esm = JSON.parse(run(process.execPath, ['esm.mjs'], { cwd: project }).stdout);
  for (const specifier of subpaths) log.ok(`import '${specifier}' (ESM): ${esm[specifier].length} exports`);

  if (!supportsRequireEsm()) {
    log.skip(`require() of ESM needs Node >= 20.19 (this is ${process.version}): CJS check skipped`);
    return;
  }
  writeFileSync(
    join(project, 'cjs.cjs'),
    `const names = {};
for (const specifier of ${JSON.stringify(subpaths)}) {
  names[specifier] = Object.keys(require(specifier)).filter((key) => key !== 'default' && key !== '__esModule').sort();
}
console.log(JSON.stringify(names));
`,
  );
  const cjs = JSON.parse(run(process.execPath, ['cjs.cjs'], { cwd: project }).stdout);
  for (const specifier of subpaths) {
    if (JSON.stringify(cjs[specifier]) !== JSON.stringify(esm[specifier])) {
      throw new Error(
        `require('${specifier}') exposes ${cjs[specifier]} but import exposes ${esm[specifier]}`,
      );
    }
    log.ok(`require('${specifier}') (CJS, Node ${process.version}): same ${cjs[specifier].length} exports`);
  }
}

/** Compiles a consumer under the two module resolutions users have: node16 (Node) and bundler (Vite & co). */
function checkTypes(project, real) {
  const sources = [];
  for (const pkg of real) {
    const template = join(CONSUMER_TEMPLATES, 'types', `${pkg.folder}.ts`);
    if (existsSync(template)) {
      copyFileSync(template, join(project, `use-${pkg.folder}.ts`));
      sources.push(`use-${pkg.folder}.ts`);
    } else {
      log.skip(
        `${pkg.name}: no scripts/tarball-consumer/types/${pkg.folder}.ts yet, only its exports are typechecked`,
      );
    }
  }
  const subpaths = real.flatMap((pkg) => pkg.subpaths);
  writeFileSync(
    join(project, 'exports.ts'),
    `${subpaths.map((specifier, i) => `import * as m${i} from '${specifier}';`).join('\n')}\n` +
      `export const modules = [${subpaths.map((_, i) => `m${i}`).join(', ')}] as const;\n`,
  );
  sources.push('exports.ts');

  const common = {
    target: 'ES2022',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    types: ['node'],
    // hono's own declarations (a dependency of @grantkit/testing and a peer of @grantkit/hono) need the DOM lib.
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  };
  const configs = {
    // node16 also type-checks every installed declaration file (ours and our dependencies'); bundler
    // re-resolves the same declarations another way, so checking them twice would only cost time.
    node16: { ...common, module: 'Node16', moduleResolution: 'Node16', skipLibCheck: false },
    bundler: { ...common, module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true },
  };
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const [name, compilerOptions] of Object.entries(configs)) {
    writeJson(join(project, `tsconfig.${name}.json`), { compilerOptions, files: sources });
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], {
      cwd: project,
      allowFailure: true,
    });
    if (result.status !== 0) {
      throw new Error(`tsc (moduleResolution ${name}) failed:\n${result.stdout}${result.stderr}`);
    }
    log.ok(
      `tsc --moduleResolution ${name} (skipLibCheck ${compilerOptions.skipLibCheck}): ${sources.join(', ')}`,
    );
  }
}

async function main() {
  const packages = publicPackages();
  const missingDist = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (missingDist.length > 0) {
    throw new Error(
      `dist/ is missing in ${missingDist.map((pkg) => pkg.folder).join(', ')}: run \`pnpm build\` first`,
    );
  }
  const real = packages.filter((pkg) => !pkg.placeholder);
  const names = new Set(real.map((pkg) => pkg.name));
  for (const pkg of packages.filter((p) => p.placeholder)) {
    log.skip(`${pkg.name} is a placeholder (src/index.ts exports nothing): installed, not exercised`);
  }

  const temp = tempDir('grantkit-tarballs');
  try {
    log.step(`pnpm pack ${packages.length} packages into ${temp.dir}`);
    const tarballDir = join(temp.dir, 'tarballs');
    mkdirSync(tarballDir);
    const tarballs = packPackages(packages, tarballDir);
    log.ok(`${readdirSync(tarballDir).join(', ')} (${seconds()})`);

    log.step('npm install the tarballs into a fresh project outside the workspace');
    const project = join(temp.dir, 'consumer');
    mkdirSync(project);
    writeJson(join(project, 'package.json'), {
      name: 'grantkit-tarball-consumer',
      private: true,
      type: 'module',
    });
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...packages.map((pkg) => tarballs.get(pkg.name)),
        `typescript@${TYPESCRIPT}`,
        `@types/node@${TYPES_NODE}`,
        // A TypeScript user of @grantkit/express has Express's types (an optional peer).
        ...(packages.some((pkg) => pkg.name === '@grantkit/express') ? ['@types/express@^5.0.0'] : []),
        // @grantkit/redis takes either client library (both optional peers): the consumer uses both.
        ...(packages.some((pkg) => pkg.name === '@grantkit/redis') ? ['redis@^6.0.0', 'ioredis@^5.0.0'] : []),
      ],
      { cwd: project },
    );
    for (const pkg of packages) {
      const installed = checkInstalled(pkg, join(project, 'node_modules', ...pkg.name.split('/')));
      if (installed.version !== pkg.version) throw new Error(`${pkg.name}: installed ${installed.version}`);
      const nested = join(project, 'node_modules', ...pkg.name.split('/'), 'node_modules', '@grantkit');
      if (existsSync(nested)) {
        throw new Error(
          `${pkg.name} got its own copy of ${readdirSync(nested).join(', ')} instead of the tarball`,
        );
      }
    }
    log.ok(`installed ${packages.length} tarballs with their dependencies and peers (${seconds()})`);

    if (real.length === 0) {
      log.skip('every package is a placeholder: nothing to import');
      return;
    }
    log.step('import and require every export subpath');
    checkRuntimeImports(project, real);

    log.step('typecheck a consumer');
    checkTypes(project, real);
    log.ok(`(${seconds()})`);

    log.step('end to end in the consumer project');
    if (names.has('@grantkit/core') && names.has('@grantkit/testing')) {
      copyFileSync(join(CONSUMER_TEMPLATES, 'e2e.mjs'), join(project, 'e2e.mjs'));
      run(process.execPath, ['e2e.mjs', ...names], { cwd: project, inherit: true });
    } else {
      log.skip('@grantkit/core or @grantkit/testing is a placeholder: end-to-end call skipped');
    }
  } finally {
    if (process.argv.includes('--keep')) console.log(`\nkept ${temp.dir}`);
    else temp.cleanup();
  }
  console.log(
    `\ntest:tarballs: ${real.length} packages exercised, ${packages.length - real.length} placeholders skipped (${seconds()})`,
  );
}

try {
  await main();
} catch (error) {
  log.fail(error instanceof Error ? error.message : String(error));
  console.log(`\ntest:tarballs failed (${seconds()})`);
  process.exitCode = 1;
}
