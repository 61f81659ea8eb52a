/**
 * Run in its own process with --expose-gc: builds N token clients of one library, fills every cache from
 * the token server at argv[4], and prints the heap growth per client as JSON.
 */
import { createClient, type PeerName, type TokenClient } from './peers.js';

const [, , name, count, tokenUrl] = process.argv as [string, string, PeerName, string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const settle = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

const n = Number(count);
const clients: TokenClient[] = [];
const tokens: unknown[] = [];
// Warm the library's code paths first, so compiled code is not counted as per-source memory.
for (let i = 0; i < 10; i++) await createClient(name, tokenUrl, 30).getToken();
const before = settle();
for (let i = 0; i < n; i++) clients.push(createClient(name, tokenUrl, 30));
const concurrency = 32;
for (let i = 0; i < n; i += concurrency) {
  await Promise.all(clients.slice(i, i + concurrency).map((client) => client.getToken()));
}
const after = settle();
// Keep the clients reachable until after the measurement.
tokens.push(clients.length);
process.stdout.write(JSON.stringify({ name, n, bytesPerSource: (after - before) / n, kept: tokens.length }));
