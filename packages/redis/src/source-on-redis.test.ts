import { clientCredentials, type TokenEvent, type TokenStore } from '@grantkit/core';
import { type AuthServer, createAuthServer, createManualClock } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RedisTokenStore, redisTokenStore } from './redis-token-store.js';

// Sources in one process on the Redis store, with a manual clock: waiting for a peer would sleep on
// that clock, so a source that waits when it should not never settles.
const client = createClient({ url: inject('redisUrl') });
client.on('error', () => {});
let auth: AuthServer;
let authServer: RunningServer;
let store: RedisTokenStore;
let run = 0;
const encryptionKey = crypto.getRandomValues(new Uint8Array(32));

beforeAll(async () => {
  await client.connect();
  auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600, scopes: ['read'] } } } },
  });
  authServer = await listen(auth.app);
});
afterAll(async () => {
  client.destroy();
  await authServer.close();
});
beforeEach(() => {
  auth.reset();
  store = redisTokenStore({ client, encryptionKey, prefix: `source${process.pid}-${++run}:` });
});

/** `realTime`: for a source that must wait on a peer holding the lock (it polls on the real clock). */
function source(tokens: TokenStore, events: TokenEvent[] = [], realTime = false) {
  return clientCredentials({
    tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
    clientId: 'svc',
    clientSecret: 's3cret',
    allowInsecureRequests: true,
    ...(realTime ? {} : { clock: createManualClock() }),
    store: tokens,
    onEvent: (event) => events.push(event),
  });
}

describe('a source on the Redis store', () => {
  it('shares one token between sources', async () => {
    const first = await source(store).getToken();
    const second = await source(store).getToken();
    expect(second.accessToken).toBe(first.accessToken);
    expect(auth.tokenRequests).toBe(1);
  });

  it('requests a token at once when taking the lock fails (a failed lock() was taken for a peer holding it)', async () => {
    const events: TokenEvent[] = [];
    const failingLock: TokenStore = {
      get: (key) => store.get(key),
      set: (key, token, ttlMs) => store.set(key, token, ttlMs),
      delete: (key, accessToken) => store.delete(key, accessToken),
      lock: () => Promise.reject(new Error('redis unreachable')),
    };
    await source(failingLock, events).getToken();
    expect(auth.tokenRequests).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'store-error', operation: 'lock' }));
  });

  it('takes the token a peer stored between its read and its lock (the lock holder did not read again)', async () => {
    const peer = source(store, [], true); // same clock as ours: its token's expiry is read on it
    let peerToken = '';
    const racing: TokenStore = {
      get: (key) => store.get(key),
      set: (key, token, ttlMs) => store.set(key, token, ttlMs),
      delete: (key, accessToken) => store.delete(key, accessToken),
      lock: async (key, ttlMs) => {
        // The peer fetches between our read and our lock; it may still hold the lock while it stores the
        // token, so we may have to wait on it (polling): hence the real clock.
        peerToken = (await peer.getToken()).accessToken;
        return store.lock(key, ttlMs);
      },
    };
    const token = await source(racing, [], true).getToken();
    expect(token.accessToken).toBe(peerToken);
    expect(auth.tokenRequests).toBe(1);
  });
});
