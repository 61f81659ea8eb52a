import type { WaitUntil } from '@grantkit/core';
import type { Context } from 'hono';

/**
 * `c.executionCtx.waitUntil` where the runtime has one (Workers), else `undefined`: on Node, reading
 * `c.executionCtx` throws.
 */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const context = c.executionCtx;
    return (promise) => context.waitUntil(promise);
  } catch {
    return undefined;
  }
}
