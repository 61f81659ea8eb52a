import type { TokenSource } from '@grantkit/core';
import { authProxy, grantkit, tokenErrorHandler, withGrantkit } from '@grantkit/express';
import express, { type Express } from 'express';

/** What the Express service needs: a token source for its middleware, another for its proxy, and the API. */
export interface ExpressServiceOptions {
  readonly source: TokenSource;
  readonly proxySource: TokenSource;
  readonly apiUrl: string;
}

/**
 * An Express 5 service in front of the Coaching API, both ways:
 * - `GET /coaching/...`: a handler that calls the API with `req.grantkit.fetch` (the middleware);
 * - `ALL /proxy/...`: `authProxy` forwards the request to the API with a token.
 *
 * A token failure is answered as a problem response by `tokenErrorHandler`.
 */
export function createExpressService(options: ExpressServiceOptions): Express {
  const app = express();
  app.use('/coaching', grantkit({ source: options.source, origins: [options.apiUrl] }));
  app.get(
    '/coaching/*path',
    withGrantkit(async (req, res) => {
      const upstream = await req.grantkit.fetch(`${options.apiUrl}${req.originalUrl}`);
      res
        .status(upstream.status)
        .type(upstream.headers.get('content-type') ?? 'application/json')
        .send(Buffer.from(await upstream.arrayBuffer()));
    }),
  );
  app.use('/proxy', authProxy({ source: options.proxySource, target: options.apiUrl }));
  app.use(tokenErrorHandler());
  return app;
}
