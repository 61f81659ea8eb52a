import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from './index.js';
import { STORE_TIMEOUT_MS } from './store-protocol.js';
import { eventually, settle, useAuthServer } from './test/fixture.js';

const f = useAuthServer();
const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** Moves the injected clock a store timeout at a time until `done` holds. */
async function stepUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    await settle(5);
    f.clock.advance(STORE_TIMEOUT_MS);
  }
}

describe('store calls are bounded', () => {
  it('a store that never answers cannot hang a caller: it counts as a store error and the source goes on alone', async () => {
    const silent: TokenStore = { get: never, set: never, delete: never, lock: never };
    const source = f.source({ store: silent });
    let token: string | undefined;
    source.getToken().then((t) => {
      token = t.accessToken;
    });
    await stepUntil(() => token !== undefined);
    expect(token).toBeTruthy();
    expect(f.auth.tokenRequests).toBe(1);
    const failed = f.events.flatMap((e) => (e.type === 'store-error' ? [e.operation] : []));
    expect(failed.slice(0, 2)).toEqual(['get', 'lock']);
    await stepUntil(() => f.events.filter((e) => e.type === 'store-error').length >= 3);
    expect(
      f.events.filter((e) => e.type === 'store-error').map((e) => e.type === 'store-error' && e.operation),
    ).toEqual(['get', 'lock', 'set']);
    expect(f.events.find((e) => e.type === 'store-error')).toMatchObject({
      error: { code: 'GRANTKIT_TIMEOUT' },
    });
  });

  it('a lock whose release never answers is bounded too', async () => {
    const memory = new MemoryTokenStore(() => f.clock.now());
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, t, ttl) => memory.set(k, t, ttl),
      delete: (k, a) => memory.delete(k, a),
      lock: async () => ({ release: never }),
    };
    const handed: Promise<unknown>[] = [];
    const source = f.source({ store, waitUntil: (p) => handed.push(p), random: () => 0 });
    await source.getToken();
    f.clock.set(source.state.refreshAt ?? 0);
    await source.getToken(); // a background refresh, handed to waitUntil
    let settled = false;
    handed[0]?.then(() => {
      settled = true;
    });
    await stepUntil(() => settled);
    expect(settled).toBe(true);
    expect(f.events.some((e) => e.type === 'store-error' && e.operation === 'release')).toBe(true);
  });
});

describe('releasing the lock is part of the awaited work', () => {
  /** A memory store that records when its lock is released. */
  function recordingStore(log: string[]): TokenStore {
    const memory = new MemoryTokenStore(() => f.clock.now());
    return {
      get: (k) => memory.get(k),
      set: async (k: string, t: StoredToken, ttl: number) => {
        await settle(5); // a store round trip
        log.push('set');
        return memory.set(k, t, ttl);
      },
      delete: (k, a) => memory.delete(k, a),
      lock: async (k, ttl): Promise<TokenLock | undefined> => {
        const lock = await memory.lock(k, ttl);
        return (
          lock && {
            release: async () => {
              await settle(5);
              log.push('release');
              return lock.release();
            },
          }
        );
      },
    };
  }

  it('a background refresh hands waitUntil a promise that settles only after the lock is released', async () => {
    const log: string[] = [];
    const handed: Promise<unknown>[] = [];
    const source = f.source({
      store: recordingStore(log),
      waitUntil: (p) => handed.push(p),
      random: () => 0,
    });
    const first = await source.getToken();
    await eventually(() => log.includes('release'));
    log.length = 0;
    handed.length = 0; // the cold request was handed over too
    f.clock.set(source.state.refreshAt ?? 0);
    expect(await source.getToken()).toBe(first); // served at once, refreshed in the background
    expect(handed).toHaveLength(1);
    await handed[0]?.then(() => log.push('settled'));
    expect(log).toEqual(['set', 'release', 'settled']);
  });

  it('a foreground request hands waitUntil its store write and lock release (workerd dropped the release)', async () => {
    const log: string[] = [];
    const handed: Promise<unknown>[] = [];
    const source = f.source({ store: recordingStore(log), waitUntil: (p) => handed.push(p) });
    await source.getToken();
    expect(handed).toHaveLength(1);
    await handed[0]?.then(() => log.push('settled'));
    expect(log).toEqual(['set', 'release', 'settled']);
  });

  it('callers get the token before the store write and release finish', async () => {
    const log: string[] = [];
    const source = f.source({ store: recordingStore(log) });
    await source.getToken();
    log.push('token');
    await eventually(() => log.includes('release'));
    expect(log).toEqual(['token', 'set', 'release']);
  });
});
