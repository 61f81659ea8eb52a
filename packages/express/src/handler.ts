import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GrantkitRequest } from './middleware.js';

/**
 * A route handler that sees `req.grantkit`, typed, behind {@link grantkit}. A rejected promise goes to
 * `next(err)` on Express 4 too (Express 5 does that itself).
 *
 * @example
 * ```ts
 * app.get('/me', withGrantkit(async (req, res) => {
 *   res.json(await (await req.grantkit.fetch('https://api.acme.com/me')).json());
 * }));
 * ```
 */
export function withGrantkit<R extends Request = Request>(
  handler: (req: GrantkitRequest<R>, res: Response, next: NextFunction) => unknown,
): RequestHandler {
  return (req, res, next) => {
    if (!('grantkit' in req)) {
      return next(new Error('req.grantkit is missing: mount the grantkit() middleware before this route'));
    }
    try {
      const result = handler(req as GrantkitRequest<R>, res, next);
      if (result instanceof Promise) result.catch(next);
    } catch (error) {
      next(error);
    }
  };
}
