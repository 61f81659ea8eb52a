import { tokenProblem } from '@grantkit/fetch';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends core's RFC 9457 problem for a token failure — `502`/`503` (`500` for a bad configuration), with the
 * stable `code`, never a token or a secret — and says whether `error` was one.
 */
export function sendTokenProblem(error: unknown, reply: FastifyReply): boolean {
  const problem = tokenProblem(error);
  if (!problem) return false;
  if (problem.retryAfter !== undefined) reply.header('retry-after', String(problem.retryAfter));
  void reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  return true;
}

/**
 * A Fastify error handler, as `app.errorHandler` gives it and `app.setErrorHandler` takes it.
 *
 * @example
 * ```ts
 * const fallback: ErrorHandler = app.errorHandler;
 * ```
 */
export type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * A Fastify error handler that answers token failures with core's problem response and hands every other
 * error to `fallback` (the handler in force before, Fastify's default one say).
 *
 * @example
 * ```ts
 * app.setErrorHandler(tokenErrorHandler(app.errorHandler));
 * ```
 */
export function tokenErrorHandler(fallback: ErrorHandler): ErrorHandler {
  return function handler(this: unknown, error, request, reply) {
    if (reply.sent || !sendTokenProblem(error, reply)) return fallback.call(this, error, request, reply);
    return reply;
  } as ErrorHandler;
}
