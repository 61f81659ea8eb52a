import { GrantkitError } from '@grantkit/core';

/**
 * Runs one Redis operation for at most `timeoutMs`. On time-out the operation's signal aborts (node-redis
 * then drops a command still waiting in its offline queue) and the promise rejects with
 * `GRANTKIT_TIMEOUT`, so a slow or unreachable Redis costs a caller a bounded delay, never a failure.
 */
export function bounded<T>(
  operation: string,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new GrantkitError(
        'GRANTKIT_TIMEOUT',
        `redis ${operation} took longer than ${timeoutMs} ms`,
        {
          retryable: true,
        },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([run(controller.signal), expired]).finally(() => clearTimeout(timer));
}
