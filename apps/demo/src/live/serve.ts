import { listen } from '@grantkit/testing/node';
import { Hono } from 'hono';
import { ADAPTERS } from '../realm.js';
import type { Resources } from '../resources.js';
import { tracedCall } from '../scenario.js';
import { startStack } from '../stack.js';
import { livePage } from './page.js';
import { snapshot } from './snapshot.js';

/** Long enough to watch; short enough that refresh-ahead comes round every few seconds. */
const LIFETIME_SECONDS = 20;
const PATHS = ['/coaching/v1/sessions', '/coaching/v1/agents', '/coaching/v1/sessions/cs-9001'];

/**
 * Keeps the stack up, sends one call a second through every adapter, and serves the live page with its JSON
 * state and the outage / revoke buttons. Resolves once serving; a signal closes everything.
 */
export async function serveLive(
  resources: Resources,
  port: number,
  log: (line: string) => void,
): Promise<void> {
  const startedAt = Date.now();
  const stack = await startStack(LIFETIME_SECONDS, startedAt, resources);
  let outage = false;

  let tick = 0;
  const traffic = setInterval(() => {
    const path = PATHS[tick % PATHS.length] ?? '/coaching/v1/sessions';
    tick += 1;
    for (const adapter of stack.adapters) void tracedCall(adapter, path, Date.now);
  }, 1_000);
  resources.add(() => clearInterval(traffic));

  const app = new Hono();
  app.get('/', (c) => c.html(livePage));
  app.get('/api/state', async (c) => {
    const isolates = await stack.workerStates().then(
      (states) => states.map(({ name, state }) => ({ name, status: state.status })),
      () => stack.workerIsolates.map(({ name }) => ({ name, status: 'unknown' })),
    );
    return c.json(snapshot(stack, startedAt, LIFETIME_SECONDS, outage, isolates));
  });
  app.post('/api/outage/start', (c) => {
    stack.embedded.auth.faults.clear();
    stack.embedded.auth.faults.fail(1_000_000, { status: 503, body: { error: 'temporarily_unavailable' } });
    outage = true;
    return c.json({ outage });
  });
  app.post('/api/outage/end', (c) => {
    stack.embedded.auth.faults.clear();
    outage = false;
    return c.json({ outage });
  });
  app.post('/api/revoke', (c) => {
    const revoked = ADAPTERS.filter((a) => stack.embedded.revokeLatest(a.clientId)).map((a) => a.name);
    return c.json({ revoked });
  });
  const page = await listen(app, { port });
  resources.add(() => page.close());

  log(
    `Authorization server ${stack.embedded.origin}/auth/realms/demo · Coaching API ${stack.apiUrl} · worker isolates ${stack.workerIsolates.map((isolate) => isolate.url).join(' and ')}`,
  );
  log(`Live token lifecycle: ${page.url}/   (Ctrl-C stops)`);
}
