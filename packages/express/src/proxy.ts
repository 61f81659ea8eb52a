import { isGrantkitError } from '@grantkit/core';
import { type AuthProxyOptions as FetchAuthProxyOptions, authProxy as fetchAuthProxy } from '@grantkit/fetch';
import type { Request, RequestHandler } from 'express';
import { webRequest } from './incoming.js';
import { sendWebResponse } from './outgoing.js';
import type { TokenErrorHook } from './problem.js';

/**
 * Options of {@link authProxy}: `@grantkit/fetch`'s, with Express's `req` as the context of `source`,
 * `target`, `stripPrefix` and `rewrite`, and an Express-style `onError`.
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: 'https://api.acme.com/coaching' };
 * ```
 */
export interface AuthProxyOptions extends Omit<FetchAuthProxyOptions<Request>, 'onError'> {
  /**
   * Answers a token failure. Default: an RFC 9457 problem response, `502` or `503`, with the stable `code`.
   * `(error, req, res, next) => next(error)` hands it to the app's error handlers.
   */
  readonly onError?: TokenErrorHook | undefined;
}

/**
 * An Express (5 and 4) handler over `@grantkit/fetch`'s web-standard `authProxy`: the Node request becomes
 * a `Request` (paths relative to where it is mounted, body streamed), the `Response` streams back. See
 * `@grantkit/fetch` for what it forwards, refuses (`400`) and answers (`502`, `504`, token problems).
 * Mount it before body parsers.
 *
 * @example
 * ```ts
 * import { authProxy } from '@grantkit/express';
 *
 * app.use('/coaching', authProxy({ source, target: 'https://api.acme.com/coaching' }));
 * ```
 */
export function authProxy(options: AuthProxyOptions): RequestHandler {
  const { onError, stripPrefix, ...rest } = options;
  const proxy = fetchAuthProxy<Request>({
    ...rest,
    // Paths are relative to where the proxy is mounted, and a Location is rewritten back under it.
    stripPrefix: (req) =>
      req.baseUrl + (typeof stripPrefix === 'function' ? stripPrefix(req) : (stripPrefix ?? '')),
    onError: onError
      ? (error) => {
          throw error; // answered below, with Express's (req, res, next)
        }
      : undefined,
  });
  return (req, res, next) => {
    Promise.resolve()
      .then(() => proxy.handle(webRequest(req, res), { context: req }))
      .then((response) => sendWebResponse(response, req, res))
      .catch((error: unknown) => {
        if (onError && isGrantkitError(error) && !res.headersSent) return onError(error, req, res, next);
        next(error);
      });
  };
}
