/**
 * The matrix from a command line, for Deno and Bun: `deno run -A cli.mjs '<json>'` / `bun cli.mjs '<json>'`
 * runs one scenario and prints its result as JSON on stdout.
 */

import type { ScenarioInput } from '../scenario.js';
import { run } from '../scenarios.js';

declare const Deno: { readonly args: readonly string[] } | undefined;
declare const process: { readonly argv: readonly string[] };

const args = typeof Deno === 'undefined' ? process.argv.slice(2) : Deno.args;
const { name, input } = JSON.parse(args[0] ?? '{}') as { name: string; input: ScenarioInput };
console.log(JSON.stringify(await run(name, input)));
