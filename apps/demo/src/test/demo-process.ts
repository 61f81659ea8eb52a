import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A finished demo run. */
export interface DemoExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Env without any VERINT_* variable of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VERINT_')));
  return { ...env, ...extra };
}

/** Runs the built demo (`dist/main.js`) to completion. */
export function runDemo(args: string[] = [], env: Record<string, string> = {}): Promise<DemoExit> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: cleanEnv(env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A demo started with `--serve`, once it printed the live page's URL. */
export interface ServingDemo {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

export function serveDemo(): Promise<ServingDemo> {
  const child = spawn(process.execPath, [MAIN, '--serve'], { env: cleanEnv({}), stdio: 'pipe' });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`demo exited (${code}) before serving:\n${output}`)));
    const onData = (chunk: Buffer): void => {
      output += chunk;
      const url = /Live token lifecycle: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url === undefined) return;
      resolve({
        url,
        child,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
  });
}

/** A loopback port that nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
