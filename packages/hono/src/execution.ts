import type { WaitUntil } from '@grantkit/core';
import type { Context } from 'hono';

/**
 * Hands background work to `c.executionCtx.waitUntil` where the runtime has one (Workers). Looked up only
 * when there is work to hand over: on Node, reading `c.executionCtx` throws, and a throw per request is
 * a measurable share of the middleware's cost.
 */
export function waitUntilOf(c: Context): WaitUntil {
  return (promise) => {
    try {
      c.executionCtx.waitUntil(promise);
    } catch {
      // No execution context (Node, Bun, Deno): the promise simply runs on.
    }
  };
}
