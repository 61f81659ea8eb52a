import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { grantkitSource } from '../peers.js';
import type { Config, PartResult, Row } from '../result.js';
import { startLoopback } from '../servers.js';
import { plainExpress, plainHono, type Service } from '../services.js';
import { median, spreadPercent } from '../stats.js';

const run = promisify(execFile);
const autocannon = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/** One way to build the service under load. */
export interface ServiceVariant {
  readonly framework: 'Hono' | 'Express';
  readonly name: string;
  readonly label: string;
  readonly grantkit?: boolean;
  start(apiUrl: string, tokenUrl: string, fixed: string): Promise<Service>;
}

/** Baselines every run has; the adapter packages add their middleware variants. */
export const BASE_VARIANTS: ServiceVariant[] = [
  {
    framework: 'Hono',
    name: 'fixed',
    label: 'Hono, fixed header (baseline)',
    start: (apiUrl, _t, fixed) => plainHono(apiUrl, (u) => fetch(u, { headers: { authorization: fixed } })),
  },
  {
    framework: 'Express',
    name: 'fixed',
    label: 'Express, fixed header (baseline)',
    start: (apiUrl, _t, fixed) =>
      plainExpress(apiUrl, (u) => fetch(u, { headers: { authorization: fixed } })),
  },
];

/** Requests per second that autocannon (its own process) gets through `url`, and the failed responses. */
async function load(
  url: string,
  seconds: number,
  connections: number,
): Promise<{ rps: number; failed: number }> {
  const { stdout } = await run(
    process.execPath,
    [autocannon, '--json', '-c', String(connections), '-d', String(seconds), url],
    { maxBuffer: 16 << 20 },
  );
  const result = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
  };
  const failed = result.non2xx + result.errors;
  // A pooled keep-alive socket closed by the API between runs can fail a request or two; more is a bug.
  if (failed > Math.max(2, result.requests.total / 100)) {
    throw new Error(`load run on ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { rps: result.requests.average, failed };
}

/**
 * Part 3: services that call the protected API through the Grantkit middleware vs the same services with a
 * fixed header, under autocannon load on loopback, short runs interleaved.
 */
export async function middlewareOverhead(
  config: Config,
  extra: readonly ServiceVariant[] = [],
): Promise<PartResult> {
  const loopback = await startLoopback();
  const seconds = config.quick ? 1 : 3;
  const rounds = config.quick ? 1 : 3;
  const connections = 16;
  try {
    const source = grantkitSource(loopback.tokenUrl);
    const fixed = `Bearer ${(await source.getToken()).accessToken}`;
    const variants = [...BASE_VARIANTS, ...extra];
    const services = new Map<ServiceVariant, Service>();
    for (const v of variants) services.set(v, await v.start(loopback.apiUrl, loopback.tokenUrl, fixed));
    const samples = new Map<ServiceVariant, number[]>(variants.map((v) => [v, []]));
    let failed = 0;
    try {
      if (!config.quick) for (const v of variants) await load(services.get(v)?.url as string, 1, connections);
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < variants.length; k++) {
          const v = variants[(round + k) % variants.length] as ServiceVariant;
          const { rps, failed: f } = await load(services.get(v)?.url as string, seconds, connections);
          samples.get(v)?.push(rps);
          failed += f;
        }
      }
    } finally {
      for (const service of services.values()) await service.close();
    }
    const rows: Row[] = [];
    for (const framework of ['Hono', 'Express'] as const) {
      const base = variants.find((v) => v.framework === framework && v.name === 'fixed') as ServiceVariant;
      const baseRps = median(samples.get(base) ?? []);
      for (const v of variants.filter((x) => x.framework === framework)) {
        const rps = median(samples.get(v) ?? []);
        const ratio = baseRps / rps; // time per request relative to the baseline
        rows.push({
          measurement: `service → API under load (${connections} connections)`,
          subject: v.label,
          value: rps,
          unit: 'req/s',
          ratio,
          ...(v.grantkit && { target: '≤ 1.05× baseline time/req', pass: ratio <= 1.05 }),
          note: `rounds IQR ±${(spreadPercent(samples.get(v) ?? []) / 2).toFixed(0)} %`,
        });
      }
    }
    return {
      id: 'middleware-overhead',
      title: '3. Server middleware overhead — Hono and Express services under load',
      rows,
      notes: [
        `Each service handles GET /call by calling GET /echo on the JWT-verifying resource server and relaying the JSON. autocannon (its own process, ${connections} connections) drives each variant for ${seconds} s, variants interleaved in rotated order, ${rounds} round(s) after a 1 s warm-up each; value = median req/s; ratio = baseline req/s ÷ variant req/s (time per request relative to the fixed-header service).`,
        `Failed responses across all measured runs: ${failed} (a pooled keep-alive socket closed by the API between runs can fail one; more than 1 % fails the run).`,
        'The service, the authorization server and the resource server share one process; autocannon runs in another. The machine has 2 cores, so absolute req/s are low and only the ratios mean anything.',
      ],
    };
  } finally {
    await loopback.close();
  }
}
