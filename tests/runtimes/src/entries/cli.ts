/**
 * The matrix from a command line, for Deno and Bun: `deno run --allow-net cli.mjs '<json>'` /
 * `bun run cli.mjs '<json>'`, where the JSON is a list of `{ name, input }`. Runs them one after the other
 * and prints their results as one JSON array on stdout.
 */
import type { ScenarioInput } from '../scenario.js';
import { run } from '../scenarios.js';

declare const Deno: { readonly args: readonly string[] } | undefined;
declare const process: { readonly argv: readonly string[] };

const args = typeof Deno === 'undefined' ? process.argv.slice(2) : Deno.args;
const runs = JSON.parse(args[0] ?? '[]') as { name: string; input: ScenarioInput }[];
const results = [];
for (const { name, input } of runs) results.push(await run(name, input));
console.log(JSON.stringify(results));
