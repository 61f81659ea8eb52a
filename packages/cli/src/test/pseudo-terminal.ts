import { spawn } from 'node:child_process';
import { BIN } from './grantkit-bin.js';

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Runs `grantkit ...args` on a pseudo-terminal (util-linux `script`), so standard input is a TTY, and
 * types `keys` once `prompt` shows. Resolves the exit code and everything the terminal showed (stdout
 * and stderr together, as a person sees them).
 */
export function onTerminal(
  args: readonly string[],
  prompt: string,
  keys: string,
): Promise<{ code: number | null; screen: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['GRANTKIT_CLIENT_SECRET'];
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env });
  let screen = '';
  let typed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    // Typed only once the question is shown: the prompt turns echo off before it asks.
    if (!typed && screen.includes(prompt)) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, screen }));
  });
}
