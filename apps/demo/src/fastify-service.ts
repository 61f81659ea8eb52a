import type { TokenSource } from '@grantkit/core';
import { authProxy, grantkit } from '@grantkit/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

/** What the Fastify service needs: a token source for its plugin, another for its proxy, and the API. */
export interface FastifyServiceOptions {
  readonly source: TokenSource;
  readonly proxySource: TokenSource;
  readonly apiUrl: string;
}

/**
 * A Fastify service in front of the Coaching API, both ways:
 * - `GET /coaching/...`: a route that calls the API with `request.grantkit.fetch` (the `grantkit` plugin);
 * - `ALL /proxy/...`: the `authProxy` plugin forwards the request to the API with a token.
 */
export async function createFastifyService(options: FastifyServiceOptions): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(grantkit, { source: options.source, origins: [options.apiUrl] });
  app.get('/coaching/*', async (request, reply) => {
    const upstream = await request.grantkit.fetch(`${options.apiUrl}${request.url}`);
    return reply
      .code(upstream.status)
      .type(upstream.headers.get('content-type') ?? 'application/json')
      .send(await upstream.text());
  });
  await app.register(authProxy, { prefix: '/proxy', source: options.proxySource, target: options.apiUrl });
  return app;
}
