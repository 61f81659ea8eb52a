import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/console.mjs', import.meta.url));

describe('the README example (examples/console.mjs)', () => {
  it('prints the token request span under the caller span, and the metrics, with no secret', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [example], { timeout: 30_000 });
    const spanId = (name: string) =>
      stdout.match(new RegExp(`name: '${name}',\\s+id: '([0-9a-f]{16})'`))?.[1] ?? 'missing';
    const caller = spanId('GET /coaching/v1/sessions');
    expect(caller).toMatch(/^[0-9a-f]{16}$/);
    expect(stdout).toMatch(new RegExp(`spanId: '${caller}'[^}]*\\}[^}]*name: 'grantkit.token_request'`));
    for (const metric of [
      'grantkit.token.requests',
      'grantkit.token.request.duration',
      'grantkit.token.time_to_expiry',
    ]) {
      expect(stdout).toContain(`name: '${metric}'`);
    }
    expect(stdout).not.toContain('s3cret');
    expect(stdout).not.toContain("'svc'");
  });
});
