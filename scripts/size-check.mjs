#!/usr/bin/env node
/**
 * Edge checks on the built packages (run `pnpm build` first):
 * 1. The runtime-agnostic packages' `dist/*.js` use no Node-only API: no `node:` import, no `require(`,
 *    no `Buffer`, no `process.`.
 * 2. The bundle size budget of an edge user: `@grantkit/core` + `@grantkit/fetch` (openid-client included)
 *    bundled by esbuild for `platform: 'neutral'` with the workerd/browser conditions, minified, gzipped.
 *    Fails over BUDGET_BYTES and shows what each input costs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 9216;
const EDGE_PACKAGES = ['core', 'fetch', 'ky', 'hono'];
const FORBIDDEN = [
  [/\bfrom\s*["']node:|import\(\s*["']node:/, '`node:` import'],
  [/\brequire\s*\(/, '`require(`'],
  [/\bBuffer\b/, '`Buffer`'],
  [/\bprocess\./, '`process.`'],
];

const root = fileURLToPath(new URL('..', import.meta.url));
// The bundler and the packages resolve from the runtime tests package, which depends on all of them.
const from = join(root, 'tests', 'runtimes');
const { build } = createRequire(join(from, 'package.json'))('esbuild');
let failed = false;

/** Blanks comments (TSDoc examples mention `process.env`), keeping line numbers. */
const withoutComments = (code) =>
  code
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
    .replace(/^\s*\/\/.*$/gm, '');

console.log('Edge build output check (node:, require(, Buffer, process.):');
for (const name of EDGE_PACKAGES) {
  const dist = join(root, 'packages', name, 'dist');
  if (!existsSync(dist)) {
    console.error(`  @grantkit/${name}: no dist/ — run \`pnpm build\` first`);
    failed = true;
    continue;
  }
  const problems = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) =>
      withoutComments(readFileSync(join(dist, file), 'utf8'))
        .split('\n')
        .flatMap((line, index) =>
          FORBIDDEN.filter(([pattern]) => pattern.test(line)).map(
            ([, what]) => `${file}:${index + 1} uses ${what}`,
          ),
        ),
    );
  console.log(`  @grantkit/${name}: ${problems.length === 0 ? 'ok' : problems.join('; ')}`);
  if (problems.length > 0) failed = true;
}

/** Bundles `contents` (an ES module) as an edge user's bundler would; returns gzip size and the metafile. */
async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: from, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const hasFetch = existsSync(join(root, 'packages', 'fetch', 'dist', 'index.js'));
const edgeUser = hasFetch
  ? "export { clientCredentials } from '@grantkit/core'; export { authFetch } from '@grantkit/fetch';"
  : "export { clientCredentials } from '@grantkit/core';";

if (!failed) {
  const total = await measure(edgeUser);
  const label = hasFetch ? 'core + fetch' : 'core (fetch not built)';
  console.log(`\nEdge user bundle (${label}, minified): ${kb(total.raw)}, gzip ${total.gzip} bytes (${kb(total.gzip)})`);
  console.log(`Budget: ${BUDGET_BYTES} bytes gzip (${kb(BUDGET_BYTES)})`);
  const [output] = Object.values(total.metafile.outputs);
  const byPackage = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/|packages\/([^/]+)\//.exec(input);
    const owner = match?.[1] ?? (match?.[2] ? `@grantkit/${match[2]}` : input);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
  }
  console.log('Minified bytes by package (before gzip):');
  for (const [owner, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${owner.padEnd(24)} ${String(bytes).padStart(7)}  ${((100 * bytes) / total.raw).toFixed(1)} %`);
  }
  if (total.gzip > BUDGET_BYTES) {
    console.error(`\nOver budget by ${total.gzip - BUDGET_BYTES} bytes gzip. Largest inputs:`);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 12)) {
      console.error(`  ${String(bytesInOutput).padStart(7)}  ${input.replace(/.*node_modules\//, '')}`);
    }
    failed = true;
  }
}

process.exitCode = failed ? 1 : 0;
