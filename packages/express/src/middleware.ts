import {
  type SourceOption as CoreSourceOption,
  isGrantkitError,
  type Origins,
  outboundPolicy,
  type PerRequest,
  resolveSource,
} from '@grantkit/core';
import { type AuthClient, authClient } from '@grantkit/fetch';
import type { Request, RequestHandler } from 'express';
import { sendTokenProblem, type TokenErrorHook } from './problem.js';

/**
 * What the middleware puts on `req.grantkit`: `@grantkit/fetch`'s `AuthClient` — a fetch that adds the
 * service's token for the configured origins (and replays once on 401), and the token itself.
 *
 * @example
 * ```ts
 * app.get('/me', withGrantkit(async (req, res) => res.json(await (await req.grantkit.fetch(url)).json())));
 * ```
 */
export type GrantkitClient = AuthClient;

/**
 * A token source, or a function choosing one per request from `req` (core's `SourceOption<Request>`).
 *
 * @example
 * ```ts
 * const perTenant: SourceOption = sourcePerTenant((req: Request) => req.get('x-tenant') ?? '', build);
 * ```
 */
export type SourceOption = CoreSourceOption<Request>;

/**
 * The request of the routes behind {@link grantkit}, without changing the `Request` type of every app.
 * Write routes with `withGrantkit` (typed `req`), or narrow with `req as GrantkitRequest`.
 *
 * @example
 * ```ts
 * app.get('/me', withGrantkit(async (req, res) => res.json(await (await req.grantkit.fetch(url)).json())));
 * app.get('/you', async (req, res) => {
 *   const { grantkit } = req as GrantkitRequest;
 *   res.json(await (await grantkit.fetch(url)).json());
 * });
 * ```
 */
export type GrantkitRequest<R extends Request = Request> = R & { grantkit: GrantkitClient };

/**
 * Options of {@link grantkit}.
 *
 * @example
 * ```ts
 * const options: GrantkitOptions = { source, origins: ['https://api.acme.com'] };
 * ```
 */
export interface GrantkitOptions {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption;
  /** Origins or URL prefixes that get the token, `'*'` for every URL — or a function of `req` returning them. */
  readonly origins: PerRequest<Origins, Request>;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Answers a token failure while resolving the source. Default: core's problem response (`500` for a bad
   * configuration). Failures in routes reach Express's error handlers: see `tokenErrorHandler`.
   */
  readonly onError?: TokenErrorHook | undefined;
}

/**
 * Express (5 and 4) middleware that puts an authenticated client on `req.grantkit`. Tokens are fetched on
 * first use and cached by the source. Throws `GRANTKIT_CONFIGURATION` at once for malformed `origins`.
 * A token failure inside a route is an error like any other: Express 5 hands a rejected handler to
 * `next(err)`; `tokenErrorHandler()` answers it with a `502`/`503` problem.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { grantkit, type GrantkitRequest, tokenErrorHandler } from '@grantkit/express';
 * import express from 'express';
 *
 * const app = express();
 * app.use(grantkit({ source: clientCredentials({ tokenUrl, clientId, clientSecret }), origins: ['https://api.acme.com'] }));
 * app.get('/me', async (req: GrantkitRequest, res) => res.json(await (await req.grantkit.fetch('https://api.acme.com/me')).json()));
 * app.use(tokenErrorHandler());
 * ```
 */
export function grantkit(options: GrantkitOptions): RequestHandler {
  const { origins, fetch } = options;
  if (typeof origins !== 'function') outboundPolicy(origins); // a malformed origin fails at start-up
  return (req, res, next) => {
    try {
      const source = resolveSource(options.source, req);
      (req as GrantkitRequest).grantkit = authClient(source, {
        origins: typeof origins === 'function' ? origins(req) : origins,
        fetch,
      });
    } catch (error) {
      if (!isGrantkitError(error)) return next(error);
      if (options.onError) return options.onError(error, req, res, next);
      return sendTokenProblem(error, res);
    }
    next();
  };
}
