import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.js';
import type { RuntimeHarness } from './matrix.js';
import type { ScenarioInput, ScenarioResult } from './scenario.js';

const bin = (name: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', name);

/**
 * A runtime started as a process (Deno, Bun): the CLI entry bundled for its conditions, the binary from
 * this package's npm devDependencies, the scenarios as a JSON argument, their results on stdout. Runs a
 * batch of scenarios in one process, since starting one costs more than running one.
 */
export function spawnRuntime(
  runtime: string,
  conditions: readonly string[],
  args: readonly string[],
): RuntimeHarness {
  let file = '';
  const runBatch = (runs: readonly { name: string; input: ScenarioInput }[]) =>
    new Promise<ScenarioResult[]>((resolve, reject) => {
      execFile(
        bin(runtime),
        [...args, file, JSON.stringify(runs)],
        { timeout: 30_000, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`${runtime} failed: ${stderr || error.message}`));
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ScenarioResult[]);
        },
      );
    });
  return {
    async start() {
      file = await bundle({ entry: 'entries/cli.ts', conditions, outfile: `${runtime}.mjs` });
    },
    run: async (name, input) => (await runBatch([{ name, input }]))[0] as ScenarioResult,
    runBatch,
    async stop() {},
  };
}
