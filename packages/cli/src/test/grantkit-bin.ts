import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin, exactly what `npx grantkit` runs (turbo builds the package before its tests). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** One run of the `grantkit` bin as a child process. */
export interface BinRun {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BinOptions {
  /** Added to the environment; `GRANTKIT_CLIENT_SECRET` is never inherited from the one running the tests. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input, which is then closed. Default: an empty, closed standard input. */
  readonly stdin?: string;
}

/** Every run of the suite, for the after-each output checks. */
export const runs: BinRun[] = [];

/** Runs `grantkit ...args` with Node, standard input a pipe (not a terminal). */
export function grantkit(args: readonly string[], options: BinOptions = {}): Promise<BinRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.['GRANTKIT_CLIENT_SECRET'] === undefined) delete env['GRANTKIT_CLIENT_SECRET'];
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const run = { args, code, stdout, stderr };
      runs.push(run);
      resolve(run);
    });
  });
}

/** A compact JWS, as the fake authorization server signs them. */
export const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
