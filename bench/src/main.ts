import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import {
  ADAPTER_SIZES,
  authFetchOver,
  authFetchSender,
  expressMiddlewareVariant,
  honoMiddlewareVariant,
} from './adapters.js';
import { machine } from './machine.js';
import { authFetchOverhead } from './parts/auth-fetch-overhead.js';
import { clientOverhead } from './parts/client-overhead.js';
import { memory } from './parts/memory.js';
import { middlewareOverhead } from './parts/middleware-overhead.js';
import { requestOverhead } from './parts/request-overhead.js';
import { size } from './parts/size.js';
import { telemetryOverhead } from './parts/telemetry.js';
import { tokenRequests } from './parts/token-requests.js';
import { warmCache } from './parts/warm-cache.js';
import { markdown } from './report.js';
import type { Config, PartResult } from './result.js';

const PARTS: Record<string, (config: Config) => Promise<PartResult>> = {
  'warm-cache': warmCache,
  'request-overhead': (config) => requestOverhead(config, [authFetchSender]),
  'auth-fetch-overhead': (config) => authFetchOverhead(config, authFetchOver),
  'client-overhead': clientOverhead,
  'middleware-overhead': (config) =>
    middlewareOverhead(config, [honoMiddlewareVariant, expressMiddlewareVariant]),
  'token-requests': tokenRequests,
  size: (config) => size(config, ADAPTER_SIZES),
  memory,
  telemetry: telemetryOverhead,
};

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const config: Config = { quick: process.argv.includes('--quick') };
  const only = argument('--only')?.split(',');
  const results: PartResult[] = [];
  const on = machine();
  const started = Date.now();
  for (const [id, part] of Object.entries(PARTS)) {
    if (only && !only.includes(id)) continue;
    const t0 = Date.now();
    process.stderr.write(`bench: ${id}…\n`);
    results.push(await part(config));
    process.stderr.write(`bench: ${id} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const report = markdown(results, on, config, (Date.now() - started) / 1000, loadavg()[0] ?? Number.NaN);
  process.stdout.write(report);
  const json = argument('--json');
  if (json) await writeFile(json, JSON.stringify(results, null, 2));
  const out =
    argument('--out') ?? (config.quick || only ? undefined : new URL('../RESULTS.md', import.meta.url));
  if (out) await writeFile(out, report);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
