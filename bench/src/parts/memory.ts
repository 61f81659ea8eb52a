import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LABELS, type PeerName } from '../peers.js';
import type { Config, PartResult, Row } from '../result.js';
import { startLoopback } from '../servers.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../memory-child.js', import.meta.url));
const CACHED: readonly PeerName[] = ['grantkit', 'oauth2-client', 'simple-oauth2'];

/**
 * Part 6: heap per cached source (multi-tenant: one source per tenant). Each library runs in its own
 * `node --expose-gc` process, so the token server (here) and the other libraries are not in its heap.
 */
export async function memory(config: Config): Promise<PartResult> {
  const n = config.quick ? 100 : 10_000;
  const loopback = await startLoopback();
  const bytes = new Map<PeerName, number>();
  try {
    for (const name of CACHED) {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', child, name, String(n), loopback.tokenUrl],
        {
          maxBuffer: 1 << 20,
        },
      );
      bytes.set(name, (JSON.parse(stdout) as { bytesPerSource: number }).bytesPerSource);
    }
  } finally {
    await loopback.close();
  }
  const grantkit = bytes.get('grantkit') as number;
  const rows: Row[] = CACHED.map((name) => ({
    measurement: `heap per cached source (${n.toLocaleString('en')} sources)`,
    subject: LABELS[name].replace(/ `.*`$/, ''),
    value: bytes.get(name) as number,
    unit: 'B',
    ratio: (bytes.get(name) as number) / grantkit,
  }));
  return {
    id: 'memory',
    title: '6. Memory — heap per cached source',
    rows,
    notes: [
      `${n.toLocaleString('en')} distinct client instances per library, each holding its own token from the fake server; heapUsed after three forced GCs, minus the same before creating them, divided by ${n.toLocaleString('en')}. Ratio against Grantkit. openid-client direct keeps no token and is left out.`,
    ],
  };
}
