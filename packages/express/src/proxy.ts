import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  isGrantkitError,
  PROXY_PATH_PROBLEM,
  type ProxyRoute,
  proxyRequestInit,
  proxyResponseHeaders,
  proxyRoute,
} from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import type { Request, RequestHandler, Response } from 'express';
import { incomingBody, incomingHeaders } from './incoming.js';
import { sendTokenProblem, type TokenErrorHook } from './problem.js';
import { resolveSource, type SourceOption } from './resolve.js';

/**
 * Options of {@link authProxy}.
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: 'https://api.acme.com/coaching' };
 * ```
 */
export interface AuthProxyOptions extends ProxyRoute<Request> {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption;
  /**
   * Request bodies up to this many bytes are buffered, so a `401` can be replayed with a new token; longer
   * bodies are streamed upstream and their `401` is answered as it is. Default 1 MiB.
   */
  readonly maxReplayBodyBytes?: number | undefined;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Answers a token failure. Default: core's RFC 9457 problem response, `502` or `503`, with the stable
   * `code`. `(error, req, res, next) => next(error)` hands it to the app's error handlers.
   */
  readonly onError?: TokenErrorHook | undefined;
}

function badPath(res: Response): void {
  res.status(400).type('application/problem+json').send(JSON.stringify(PROXY_PATH_PROBLEM));
}

/**
 * An Express (5 and 4) handler forwarding requests to a protected API with the service's token: the
 * caller's `Authorization`, cookies and hop-by-hop headers are dropped; method, query and body (streamed)
 * are forwarded; a `401` is replayed once with a new token (bodies up to `maxReplayBodyBytes`); the
 * response streams back without `Set-Cookie`. Mount it before body parsers.
 *
 * @example
 * ```ts
 * import { authProxy } from '@grantkit/express';
 *
 * app.use('/coaching', authProxy({ source, target: 'https://api.acme.com/coaching' }));
 * ```
 */
export function authProxy(options: AuthProxyOptions): RequestHandler {
  const limit = options.maxReplayBodyBytes ?? 1_048_576;
  const upstreamUrl = proxyRoute(options);
  const forward = async (req: Request, res: Response): Promise<void> => {
    // `req.url` is already relative to where the proxy is mounted.
    const query = req.url.indexOf('?');
    const path = query === -1 ? req.url : req.url.slice(0, query);
    const url = upstreamUrl(path, query === -1 ? '' : req.url.slice(query), req);
    if (!url) return badPath(res);
    const send = authFetch(resolveSource(options.source, req), {
      origins: [url.origin],
      fetch: options.fetch,
    });
    const abandoned = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    const init = await proxyRequestInit(
      {
        method: req.method,
        headers: incomingHeaders(req),
        body: incomingBody(req),
        signal: abandoned.signal,
      },
      limit,
    );
    const upstream = await send(url, init);
    res.status(upstream.status);
    for (const [name, value] of proxyResponseHeaders(upstream.headers)) res.setHeader(name, value);
    if (!upstream.body || req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(Readable.fromWeb(upstream.body as never), res);
  };
  return (req, res, next) => {
    forward(req, res).catch((error: unknown) => {
      if (!isGrantkitError(error) || res.headersSent) return next(error);
      if (options.onError) return options.onError(error, req, res, next);
      sendTokenProblem(error, res);
    });
  };
}
