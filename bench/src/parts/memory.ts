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
  // Longer than any library's request timeout (Grantkit's default: 10 s), so no request timer is counted.
  const quiet = config.quick ? 0 : 11_000;
  const loopback = await startLoopback();
  const bytes = new Map<PeerName, { bytesPerSource: number; tokenBytes: number }>();
  try {
    for (const name of CACHED) {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', child, name, String(n), loopback.tokenUrl, String(quiet)],
        {
          maxBuffer: 1 << 20,
        },
      );
      bytes.set(name, JSON.parse(stdout) as { bytesPerSource: number; tokenBytes: number });
    }
  } finally {
    await loopback.close();
  }
  const of = (name: PeerName) => bytes.get(name) as { bytesPerSource: number; tokenBytes: number };
  const beyond = (name: PeerName): number => of(name).bytesPerSource - of(name).tokenBytes;
  const measurement = `heap per cached source (${n.toLocaleString('en')} sources)`;
  const rows: Row[] = CACHED.flatMap((name): Row[] => {
    const subject = LABELS[name].replace(/ `.*`$/, '');
    return [
      {
        measurement,
        subject,
        value: of(name).bytesPerSource,
        unit: 'B',
        ratio: of(name).bytesPerSource / of('grantkit').bytesPerSource,
        note: `with the token string (${of(name).tokenBytes} B)`,
      },
      {
        measurement: `${measurement}, beyond the token string`,
        subject,
        value: beyond(name),
        unit: 'B',
        ratio: beyond(name) / beyond('grantkit'),
        ...(name === 'grantkit' && { target: '≤ 1,536 B', pass: beyond(name) <= 1_536 }),
      },
    ];
  });
  return {
    id: 'memory',
    title: '6. Memory — heap per cached source',
    rows,
    notes: [
      `${n.toLocaleString('en')} distinct client instances per library (one configuration per tenant: Grantkit sources with identical configurations share one token), each holding its own token from the fake server; heapUsed after three forced GCs (each followed by a turn of the event loop, where the runtime's finalization callbacks free what finished requests left, such as an \`AbortSignal.timeout()\` timer), minus the same before creating them, divided by ${n.toLocaleString('en')}. What is kept is the object a user keeps (a Grantkit source, an \`OAuth2Fetch\`, the README-style cache function), not the bench's wrapper around it. Code paths are warmed with a few hundred clients first, and the measurement waits ${quiet / 1000} s for every request's own timers (a token request's timeout) to lapse, so neither compiled code nor finished requests count as per-source memory. Ratio against Grantkit. openid-client direct keeps no token and is left out.`,
      'Beyond the token string: the same minus the heap of one token string (a 16-byte header plus one byte per character, 8-byte aligned), the part a library controls.',
    ],
  };
}
