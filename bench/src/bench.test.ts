import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import type { PartResult } from './result.js';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

// Smoke test only: every part runs in quick mode and produces numbers. No timing is asserted.
test('quick mode runs every part and every measured row has a number', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grantkit-bench-'));
  try {
    const json = join(dir, 'results.json');
    const { stdout } = await run(process.execPath, ['--expose-gc', main, '--quick', '--json', json], {
      maxBuffer: 16 << 20,
    });
    const results = JSON.parse(await readFile(json, 'utf8')) as PartResult[];
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'warm-cache',
        'request-overhead',
        'auth-fetch-overhead',
        'client-overhead',
        'token-requests',
        'size',
        'memory',
        'telemetry',
      ]),
    );
    for (const part of results) {
      expect(part.rows.length, part.id).toBeGreaterThan(0);
      for (const row of part.rows) {
        const skipped = row.note?.startsWith('not run') === true;
        if (!skipped) expect(Number.isFinite(row.value), `${part.id}: ${row.subject}`).toBe(true);
      }
    }
    expect(stdout).toContain('| measurement |');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
