import type { TokenSource } from '@grantkit/core';
import { grantkit } from '@grantkit/express';
import express, { type Express } from 'express';

/** What the Express service needs: a token source for its middleware, and the API. */
export interface ExpressServiceOptions {
  readonly source: TokenSource;
  readonly apiUrl: string;
}

/** An Express 5 service whose handlers call the Coaching API with `req.grantkit.fetch`. */
export function createExpressService(options: ExpressServiceOptions): Express {
  const app = express();
  app.use('/coaching', grantkit({ source: options.source, origins: [options.apiUrl] }));
  app.get('/coaching/*path', async (req, res) => {
    const upstream = await req.grantkit.fetch(`${options.apiUrl}${req.originalUrl}`);
    res
      .status(upstream.status)
      .type(upstream.headers.get('content-type') ?? 'application/json')
      .send(Buffer.from(await upstream.arrayBuffer()));
  });
  return app;
}
