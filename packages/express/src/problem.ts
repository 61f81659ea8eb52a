import { type GrantkitError, isGrantkitError } from '@grantkit/core';
import { tokenProblem } from '@grantkit/fetch';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';

/**
 * Answers a token failure in Express. Call `next(error)` to hand it to the app's error handlers instead.
 *
 * @example
 * ```ts
 * const onError: TokenErrorHook = (error, req, res, next) => next(error);
 * ```
 */
export type TokenErrorHook = (error: GrantkitError, req: Request, res: Response, next: NextFunction) => void;

/** Sends core's RFC 9457 problem for a token failure: `502`/`503` (`500` for a bad configuration). */
export function sendTokenProblem(error: GrantkitError, res: Response): void {
  const problem = tokenProblem(error);
  if (!problem) return;
  if (problem.retryAfter !== undefined) res.setHeader('retry-after', String(problem.retryAfter));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/**
 * An Express error handler that answers token failures (from `req.grantkit` in any route) with core's RFC
 * 9457 problem response — `502`/`503` with the stable `code`, never a token or a secret — and passes
 * every other error on. Register it after your routes.
 *
 * @example
 * ```ts
 * app.use(grantkit({ source, origins: ['https://api.acme.com'] }));
 * app.get('/sessions', async (req: GrantkitRequest, res) => res.json(await (await req.grantkit.fetch(url)).json()));
 * app.use(tokenErrorHandler());
 * ```
 */
export function tokenErrorHandler(
  options: { readonly onError?: TokenErrorHook | undefined } = {},
): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!isGrantkitError(error) || res.headersSent) return next(error);
    if (options.onError) return options.onError(error, req, res, next);
    sendTokenProblem(error, res);
  };
}
