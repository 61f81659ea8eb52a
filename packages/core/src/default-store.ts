import { MemoryTokenStore } from './memory-store.js';
import type { Clock } from './types.js';

const perClock = new WeakMap<Clock, MemoryTokenStore>();

/**
 * The store of every source built without a `store` option: one {@link MemoryTokenStore} per clock. The
 * default clock is one per process, so sources with identical configurations (secret included) share one
 * token and join one request in flight; a test that injects its own clock gets a store of its own with it.
 */
export function defaultStore(clock: Clock): MemoryTokenStore {
  let store = perClock.get(clock);
  if (!store) {
    store = new MemoryTokenStore(() => clock.now());
    perClock.set(clock, store);
  }
  return store;
}
