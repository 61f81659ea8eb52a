// One instance of a service in the fleet: a client credentials source on the shared Redis store, driven
// by the test over IPC. Forked by `fleet.ts`; each test sends it a fresh configuration.
import { clientCredentials, isGrantkitError, type TokenEvent, type TokenSource } from '@grantkit/core';
import { createClient } from 'redis';
import { redisTokenStore } from '../redis-token-store.js';
import type { FleetConfig, ToParent, ToWorker } from './fleet-messages.js';

const send = (message: ToParent): void => {
  process.send?.(message);
};

const report = (event: TokenEvent): void => {
  if (event.type === 'token-request') send({ type: 'token-request' });
  if (event.type === 'store-error') {
    const code = isGrantkitError(event.error) ? event.error.code : String((event.error as Error)?.name);
    send({ type: 'store-error', operation: event.operation, code });
  }
};

/** The fleet's shared token key (a derived key costs each process a PBKDF2 run: tested on its own). */
const FLEET_KEY = new TextEncoder().encode('grantkit fleet test key, 32 B..!');

let source: TokenSource | undefined;
/** The source's protocol runs (each with its store write and lock release), handed to `waitUntil`. */
const running = new Set<Promise<unknown>>();
let close = (): void => {};

async function configure(config: FleetConfig): Promise<void> {
  close();
  const client = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {}); // the source reports store-error events instead
  await client.connect();
  close = () => client.destroy();
  source = clientCredentials({
    tokenUrl: config.tokenUrl,
    clientId: 'svc',
    clientSecret: 's3cret',
    allowInsecureRequests: true,
    timeoutMs: config.timeoutMs,
    retry: { attempts: 1 },
    ...(config.refreshAheadMs === undefined ? {} : { refreshAheadMs: config.refreshAheadMs }),
    store: redisTokenStore({ client, encryptionKey: FLEET_KEY, prefix: config.prefix }),
    onEvent: report,
    waitUntil: (work) => {
      running.add(work);
      void work.finally(() => running.delete(work));
    },
  });
}

async function burst(id: number, callers: number): Promise<void> {
  const settled = await Promise.allSettled(
    Array.from({ length: callers }, () => (source as TokenSource).getToken()),
  );
  const tokens = new Set<string>();
  let failures = 0;
  const errors = new Set<string>();
  for (const result of settled) {
    if (result.status === 'fulfilled') tokens.add(result.value.accessToken);
    else {
      failures += 1;
      errors.add(isGrantkitError(result.reason) ? result.reason.code : String(result.reason));
    }
  }
  send({ type: 'burst', id, tokens: [...tokens], failures, errors: [...errors] });
}

/** Every protocol run has settled, also those started while waiting. */
async function idle(id: number): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
  send({ type: 'idle', id });
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'configure') void configure(message.config).then(() => send({ type: 'configured' }));
  else if (message.type === 'idle') void idle(message.id);
  else void burst(message.id, message.callers);
});
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
