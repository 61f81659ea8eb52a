#!/usr/bin/env node
// release / release:dry — build, check, then publish every public package whose version is not on the
// registry yet (`pnpm -r publish`, which rewrites `workspace:` ranges), then `changeset tag`.
//   node scripts/release.mjs            the real release (needs registry credentials)
//   node scripts/release.mjs --dry-run  offline: build, check:packages, `pnpm -r publish --dry-run`, and a
//                                       summary of the versions and tarballs it would publish
// Run `pnpm changeset version` (and commit) first; see docs/RELEASING.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { log, publicPackages, ROOT, run } from './lib/workspace.mjs';

const dryRun = process.argv.includes('--dry-run');

function pendingChangesets() {
  return readdirSync(join(ROOT, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
}

/** Runs a command in the foreground, streaming its output; also returns the output for the summary. */
function stream(command, args) {
  log.step(`${command} ${args.join(' ')}`);
  const result = run(command, args, { allowFailure: true });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  return `${result.stdout}\n${result.stderr}`;
}

/** npm prints one block per package: "📦  name@version" … "filename: …", "package size: …", "total files: …". */
function summarize(output) {
  const rows = [];
  let current;
  for (const line of output.split('\n')) {
    const text = line.replace(/^npm notice\s*/, '').trim();
    const header = text.match(/^📦\s+(@?[^@\s]+)@(\S+)$/);
    if (header) {
      current = { name: header[1], version: header[2] };
      rows.push(current);
      continue;
    }
    const field = text.match(/^(filename|package size|unpacked size|total files):\s+(.+)$/);
    if (current && field) current[field[1]] = field[2];
  }
  return rows;
}

function main() {
  const packages = publicPackages();
  const placeholders = packages.filter((pkg) => pkg.placeholder).map((pkg) => pkg.name);
  const pending = pendingChangesets();

  if (pending.length > 0) {
    const message = `${pending.length} changeset(s) not yet applied (${pending.join(', ')}): run \`pnpm changeset version\` and commit first`;
    if (!dryRun) throw new Error(message);
    log.warn(`${message} — the dry run shows the current versions`);
  }
  if (placeholders.length > 0) {
    const message = `placeholder packages would be published empty: ${placeholders.join(', ')} (land their code or mark them "private": true)`;
    if (!dryRun) throw new Error(message);
    log.warn(message);
  }

  stream('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*']);
  stream('node', ['scripts/check-packages.mjs']);
  if (dryRun) {
    // --force: do not ask the registry which versions already exist, so the dry run works offline and
    // lists every public package; the real release skips versions that are already published.
    const output = stream('pnpm', [
      '-r',
      '--filter=./packages/*',
      'publish',
      '--dry-run',
      '--no-git-checks',
      '--force',
    ]);
    const rows = summarize(output);
    console.log('\nrelease:dry — would publish (npm tag "latest", public access):');
    for (const row of rows) {
      console.log(
        `  ${`${row.name}@${row.version}`.padEnd(28)} ${String(row.filename ?? '?').padEnd(32)} ${row['package size'] ?? '?'} packed, ${row['total files'] ?? '?'} files`,
      );
    }
    if (rows.length !== packages.length) {
      throw new Error(`expected ${packages.length} packages in the dry run, saw ${rows.length}`);
    }
    return;
  }
  stream('node', ['scripts/test-tarballs.mjs']);
  stream('pnpm', ['-r', '--filter=./packages/*', 'publish', '--no-git-checks']);
  stream('pnpm', ['changeset', 'tag']);
  console.log('\nrelease: published; push the new tags with `git push --follow-tags`.');
}

try {
  main();
} catch (error) {
  log.fail(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
