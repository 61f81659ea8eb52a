#!/usr/bin/env node
// release / release:dry — the checks a release must pass, then `changeset publish`.
//   node scripts/release.mjs            build (publint + attw run in it), check:packages, test:tarballs, then
//                                       `changeset publish`: publishes (with pnpm, `workspace:` ranges
//                                       rewritten) every public package whose version is not on the registry
//                                       and tags each one. Needs registry credentials.
//   node scripts/release.mjs --dry-run  offline: build, check:packages, then
//                                       `pnpm -r publish --dry-run --no-git-checks --force` (npm prints each
//                                       tarball it would publish; --force: no registry look-up).
// Run `pnpm changeset version` (and commit) first; see docs/RELEASING.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { log, publicPackages, ROOT, run } from './lib/workspace.mjs';

const dryRun = process.argv.includes('--dry-run');
const step = (command, args) => {
  log.step(`${command} ${args.join(' ')}`);
  run(command, args, { inherit: true });
};

function main() {
  const pending = readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const placeholders = publicPackages().filter((pkg) => pkg.placeholder);
  const problems = [
    ...(pending.length > 0
      ? [`${pending.length} changeset(s) not applied: run \`pnpm changeset version\` and commit first`]
      : []),
    ...placeholders.map((pkg) => `${pkg.name} is a placeholder and would be published empty`),
  ];
  for (const problem of problems) (dryRun ? log.warn : log.fail)(problem);
  if (problems.length > 0 && !dryRun) throw new Error('not releasable');

  step('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*']);
  step('pnpm', ['run', 'check:packages']);
  if (dryRun) {
    step('pnpm', ['-r', '--filter=./packages/*', 'publish', '--dry-run', '--no-git-checks', '--force']);
    return;
  }
  step('pnpm', ['run', 'test:tarballs']);
  step('pnpm', ['exec', 'changeset', 'publish']);
  console.log('\nrelease: published; push the new tags with `git push --follow-tags`.');
}

try {
  main();
} catch (error) {
  log.fail(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
