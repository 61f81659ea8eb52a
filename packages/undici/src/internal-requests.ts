import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks the async context of the interceptor's own `getToken` calls. Every request made in it — the token
 * and discovery requests a source sends, through whatever dispatcher — passes the interceptor untouched, so
 * it never waits on itself, even when the token endpoint's origin is listed.
 */
const internal = new AsyncLocalStorage<true>();

/** Runs `work` (a `getToken` call) so that the requests it makes bypass the interceptor. */
export function asInternal<T>(work: () => T): T {
  return internal.run(true, work);
}

/** Whether the current request was made by Grantkit itself (a token or discovery request). */
export function isInternal(): boolean {
  return internal.getStore() === true;
}
