import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBlocks, type Block } from './blocks.js';
import { GENERATED, toJavaScript } from './compile.js';
import { CERTIFICATE, EXAMPLE_CLIENT, startExampleServers } from './example-servers.js';

const RUN = join(GENERATED, '..', '.generated-run');
const runnable = allBlocks().filter((block) => block.run);
let servers: Awaited<ReturnType<typeof startExampleServers>>;

beforeAll(async () => {
  servers = await startExampleServers();
  mkdirSync(RUN, { recursive: true });
});
afterAll(() => servers.close());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Outcome {
  readonly code: number | null;
  readonly output: string;
}

function start(block: Block, code: string): { child: ChildProcess; done: Promise<Outcome> } {
  const file = join(RUN, `${block.file.replace(/[^a-zA-Z0-9]+/g, '_')}_L${block.line}.mjs`);
  writeFileSync(file, toJavaScript(code));
  const child = spawn(process.execPath, [file], {
    cwd: join(GENERATED, '..'),
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: CERTIFICATE,
      CLIENT_ID: EXAMPLE_CLIENT.clientId,
      CLIENT_SECRET: EXAMPLE_CLIENT.secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const done = new Promise<Outcome>((resolve) => child.on('exit', (exit) => resolve({ code: exit, output })));
  return { child, done };
}

async function askServer(port: number, method: string, path: string): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}${path}`, { method });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('README main examples run against the fake servers, with only their URLs changed', () => {
  it('there is a main example to run', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });

  for (const block of runnable) {
    it(`${block.file}:${block.line}`, async () => {
      const request = block.run?.request;
      const port = await freePort();
      const code = servers.rewrite(block.code);
      const { child, done } = start(block, request ? code.replace(/\b3000\b/g, String(port)) : code);
      let outcome: Outcome;
      if (request) {
        const response = await askServer(port, request.method, request.path);
        const body = await response.text();
        child.kill();
        outcome = await done;
        expect(response.status, `${body}\n${outcome.output}`).toBeLessThan(300);
      } else {
        const timer = setTimeout(() => child.kill(), 30_000);
        outcome = await done;
        clearTimeout(timer);
        expect(outcome.code, outcome.output).toBe(0);
      }
      expect(outcome.output).not.toContain(EXAMPLE_CLIENT.secret);
    });
  }
});
