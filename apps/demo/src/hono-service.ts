import type { TokenSource } from '@grantkit/core';
import { tokenProblemResponse } from '@grantkit/fetch';
import { authProxy, type GrantkitEnv, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';

/** What the Hono service needs: a token source for its middleware, another for its proxy, and the API. */
export interface HonoServiceOptions {
  readonly source: TokenSource;
  readonly proxySource: TokenSource;
  readonly apiUrl: string;
}

/**
 * A Hono service in front of the Coaching API, both ways:
 * - `GET /coaching/...`: a handler that calls the API with `c.var.grantkit.fetch` (the middleware);
 * - `ALL /proxy/...`: `authProxy` forwards the request to the API with a token.
 */
export function createHonoService(options: HonoServiceOptions): Hono<GrantkitEnv> {
  const app = new Hono<GrantkitEnv>();
  app.use('/coaching/*', grantkit({ source: options.source, origins: [options.apiUrl] }));
  app.get('/coaching/*', async (c) => {
    const upstream = await c.var.grantkit.fetch(`${options.apiUrl}${c.req.path}`);
    return new Response(upstream.body, {
      status: upstream.status,
      headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' },
    });
  });
  // Token failures become problem responses (502/503) without a stack trace on stderr per call.
  app.onError(
    (error) => tokenProblemResponse(error) ?? new Response('Internal Server Error', { status: 500 }),
  );
  app.all(
    '/proxy/*',
    authProxy({ source: options.proxySource, target: options.apiUrl, stripPrefix: '/proxy' }),
  );
  return app;
}
