import { describe, expect, it, vi } from 'vitest';
import { MemoryTokenStore, type TokenStore } from './index.js';
import { settle, useAuthServer } from './test/fixture.js';

const f = useAuthServer();

/**
 * A store whose lock a peer took just before this source and then died: its lock lapses after its ttl,
 * never released. The source's first lock call takes 25 ms, so that its peer wait polls off the beat of the
 * callers' watchdog. `lockedAt` records the clock at every lock call.
 */
function storeWithDeadPeer(lockedAt: number[]): TokenStore {
  const store = new MemoryTokenStore(() => f.clock.now());
  let calls = 0;
  return {
    get: (key) => store.get(key),
    set: (key, token, ttlMs) => store.set(key, token, ttlMs),
    delete: (key, accessToken) => store.delete(key, accessToken),
    lock: async (key, ttlMs) => {
      calls += 1;
      lockedAt.push(f.clock.now());
      if (calls > 1) return store.lock(key, ttlMs);
      await store.lock(key, ttlMs); // the peer's, taken with the same ttl
      await f.clock.sleep(25);
      return store.lock(key, ttlMs);
    },
  };
}

describe('a request presumed lost while its protocol still waits for a peer', () => {
  it('makes one token request: the waiting protocol takes the token its re-fetch got, it does not request another', async () => {
    // With timeoutMs 1 s the callers presume their request lost after 6 s, the lock's ttl too. So the
    // dead peer's lock lapses exactly as the watchdog starts a second protocol run (fetch 2) beside the
    // first, still polling: fetch 2 takes the lapsed lock and requests. The first run then finds that token
    // in the store; it used to refuse it (not newer than the source's own, which it now was) and request.
    const lockedAt: number[] = [];
    const source = f.source({ store: storeWithDeadPeer(lockedAt), timeoutMs: 1_000, retry: { attempts: 1 } });
    const start = f.clock.now();
    const token = source.getToken();
    await settle(20); // the first run reads the store and asks for the lock at the start, as it would
    for (let elapsed = 0; elapsed < 6_000; elapsed += 25) {
      f.clock.advance(25);
      await settle(1);
    }
    // 6 s: the watchdog has started fetch 2, and the dead lock lapses now. The first run polls at 25 + 50k
    // ms, so a lock call at 6 000 is fetch 2's: the clock waits for it (its store key is an HMAC, computed
    // off the main thread, which a loaded machine can make slower than any fixed pause).
    await vi.waitFor(() => expect(lockedAt).toContain(start + 6_000), { timeout: 5_000 });
    // Then finely, with time for the loopback token request, until the first run has taken the token.
    const tookIt = () =>
      f.events.some((event) => event.type === 'token-response' && event.fetchId === 1 && event.fromStore);
    for (let elapsed = 0; elapsed < 2_000 && !tookIt(); elapsed += 5) {
      f.clock.advance(5);
      await settle(5);
    }
    expect((await token).accessToken).toBeTruthy();
    const requests = f.events.flatMap((event) => (event.type === 'token-request' ? [event.fetchId] : []));
    expect(requests).toEqual([2]); // the re-fetch's, and only that one
    expect(f.auth.tokenRequests).toBe(1);
    expect(f.events).toContainEqual(
      expect.objectContaining({ type: 'token-response', fetchId: 1, fromStore: true }),
    );
  });
});
