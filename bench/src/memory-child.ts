/**
 * Run in its own process with --expose-gc: builds N token clients of one library (one per tenant, each
 * with its own configuration and token), fills every cache from the token server at argv[4], and prints
 * the heap growth per client and the heap of one token string as JSON.
 */
import { createClient, type PeerName, type TokenClient } from './peers.js';

const [, , name, count, tokenUrl, quiet = '0'] = process.argv as [
  string,
  string,
  PeerName,
  string,
  string,
  string?,
];
const n = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

// Between collections, a turn of the event loop: the runtime's finalization callbacks (which free, for
// example, the timer of a finished request's `AbortSignal.timeout()`) run there, not inside gc().
const settle = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
};

// Warm the library's code paths first, so compiled code is not counted as per-source memory.
// (Optimising compilers kick in after many calls: a few hundred clients, not ten.)
for (let i = 0; i < Math.min(300, n); i++) await createClient(name, tokenUrl, 30, `warm-${i}`).getToken();
const before = await settle();
let clients: TokenClient[] = [];
for (let i = 0; i < n; i++) clients.push(createClient(name, tokenUrl, 30, `tenant-${i}`));
const concurrency = 32;
for (let i = 0; i < n; i += concurrency) {
  await Promise.all(clients.slice(i, i + concurrency).map((client) => client.getToken()));
}
// A sequential one-byte string on 64-bit V8: a 16-byte header, then the characters, 8-byte aligned.
const length = (await clients[0]?.accessToken())?.length ?? 0;
const tokenBytes = Math.ceil((16 + length) / 8) * 8;
// What a user keeps is the library's object; the bench's own wrapper around it is not the library's memory.
const kept = clients.map((client) => client.instance);
clients = [];
// Let the requests' own timers (a token request's timeout signal) lapse: they are not the cache's memory.
await new Promise((resolve) => setTimeout(resolve, Number(quiet)));
const after = await settle();
process.stdout.write(
  JSON.stringify({ name, n, bytesPerSource: (after - before) / n, tokenBytes, kept: kept.length }),
);
