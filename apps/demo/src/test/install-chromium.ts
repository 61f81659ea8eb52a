import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: the browser test needs Debian's chromium; install it on a fresh machine. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../../../scripts/install-chromium.sh', import.meta.url));
  execFileSync('bash', [script], { stdio: 'inherit', timeout: 600_000 });
}
