// One instance of a service in the fleet: a client credentials source on the shared Redis store, driven
// by the test over IPC. Run by `fleet.ts` with `fork`.
import { clientCredentials, isGrantkitError, type TokenEvent } from '@grantkit/core';
import { createClient } from 'redis';
import { redisTokenStore } from '../redis-token-store.js';
import type { FleetConfig, ToParent, ToWorker } from './fleet-messages.js';

const send = (message: ToParent): void => {
  process.send?.(message);
};

const config = JSON.parse(process.argv[2] ?? '{}') as FleetConfig;
const client = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 100 } });
client.on('error', () => {}); // reported by the source as store-error events instead
await client.connect();

const report = (event: TokenEvent): void => {
  if (event.type === 'token-request') send({ type: 'token-request' });
  if (event.type === 'store-error') {
    const code = isGrantkitError(event.error) ? event.error.code : String((event.error as Error)?.name);
    send({ type: 'store-error', operation: event.operation, code });
  }
};

const source = clientCredentials({
  tokenUrl: config.tokenUrl,
  clientId: 'svc',
  clientSecret: 's3cret',
  allowInsecureRequests: true,
  timeoutMs: config.timeoutMs,
  retry: { attempts: 1 },
  ...(config.refreshAheadMs === undefined ? {} : { refreshAheadMs: config.refreshAheadMs }),
  store: redisTokenStore({ client, clientSecret: 's3cret', prefix: config.prefix }),
  onEvent: report,
});

process.on('message', async (message: ToWorker) => {
  if (message.type === 'stop') {
    client.destroy();
    process.exit(0);
  }
  const calls = Array.from({ length: message.callers }, () => source.getToken());
  const settled = await Promise.allSettled(calls);
  const tokens = new Set<string>();
  let failures = 0;
  for (const result of settled) {
    if (result.status === 'fulfilled') tokens.add(result.value.accessToken);
    else failures += 1;
  }
  send({ type: 'burst', id: message.id, tokens: [...tokens], failures });
});

send({ type: 'ready' });
