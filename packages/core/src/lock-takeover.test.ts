import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, type TokenStore } from './index.js';
import { settle, useAuthServer } from './test/fixture.js';

const f = useAuthServer();

/** A store whose lock was taken by a peer that then died: it lapses after its ttl, never released. */
function storeWithDeadHolder(): TokenStore & { locks: number } {
  const store = new MemoryTokenStore(() => f.clock.now());
  let holderDied = false;
  const wrapped = {
    locks: 0,
    get: (key: string) => store.get(key),
    set: (key: string, token: Parameters<TokenStore['set']>[1], ttlMs: number) =>
      store.set(key, token, ttlMs),
    delete: (key: string, accessToken?: string) => store.delete(key, accessToken),
    lock: async (key: string, ttlMs: number) => {
      if (!holderDied) {
        holderDied = true;
        await store.lock(key, ttlMs);
      }
      wrapped.locks += 1;
      return store.lock(key, ttlMs);
    },
  };
  return wrapped;
}

describe('a lock whose holder died', () => {
  it('is taken over by one waiting source once it lapses; the others take its token (one request)', async () => {
    const store = storeWithDeadHolder();
    const sources = [1, 2, 3].map(() => f.source({ store, timeoutMs: 1_000 }));
    let settled = false;
    const tokens = Promise.all(sources.map((source) => source.getToken())).finally(() => {
      settled = true;
    });
    // The lock's ttl is timeoutMs + 1 s; the waiters poll every 50 ms and retry the lock as they go.
    for (let elapsed = 0; !settled && elapsed < 6_000; elapsed += 50) {
      f.clock.advance(50);
      await settle(5);
    }
    const [a, b, c] = await tokens;
    expect(new Set([a?.accessToken, b?.accessToken, c?.accessToken]).size).toBe(1);
    expect(f.auth.tokenRequests).toBe(1);
    expect(store.locks).toBeGreaterThan(3); // they retried the lock while they waited
  });
});
