import { type Origins, outboundPolicy, resolveSource, type SourceOption } from '@grantkit/core';
import { type AuthClient, authClient } from '@grantkit/fetch';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenErrorHandler } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The authenticated client of this request, from `@grantkit/fastify`'s `grantkit` plugin: a `fetch`
     * that carries the service's token to the configured origins, and `getToken`.
     */
    grantkit: AuthClient;
  }
}

/**
 * Options of the {@link grantkit} plugin.
 *
 * @example
 * ```ts
 * const options: GrantkitOptions = { source, origins: ['https://api.acme.com'] };
 * ```
 */
export interface GrantkitOptions {
  /** A token source, or a function choosing one per request (see `sourcePerTenant`). */
  readonly source: SourceOption<FastifyRequest>;
  /** Origins or URL prefixes that get the token; `'*'` for every URL. */
  readonly origins: Origins;
  /** The fetch underneath. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Whether the plugin sets an error handler answering token failures with RFC 9457 problems (other errors
   * go to the handler in force before). Default `true`; with `false`, use `tokenErrorHandler` yourself.
   */
  readonly problems?: boolean | undefined;
}

const plugin: FastifyPluginAsync<GrantkitOptions> = async (app, options) => {
  outboundPolicy(options.origins);
  const { source, origins } = options;
  const client = { origins, fetch: options.fetch };
  app.decorateRequest('grantkit', null as unknown as AuthClient);
  app.addHook('onRequest', async (request) => {
    request.grantkit = authClient(resolveSource(source, request), client);
  });
  if (options.problems !== false) app.setErrorHandler(tokenErrorHandler(app.errorHandler));
};

/**
 * A Fastify 5 plugin (wrapped in `fastify-plugin`, so it applies to the whole app) that puts an
 * authenticated client on `request.grantkit` — the same `AuthClient` as `@grantkit/hono`'s and
 * `@grantkit/express`'s — and answers token failures in any route with a `502`/`503` RFC 9457 problem
 * (stable `code`, no secret). Throws `GRANTKIT_CONFIGURATION` at registration for malformed `origins`.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { grantkit } from '@grantkit/fastify';
 * import Fastify from 'fastify';
 *
 * const app = Fastify();
 * await app.register(grantkit, { source: clientCredentials({ tokenUrl, clientId, clientSecret }), origins: ['https://api.acme.com'] });
 * app.get('/me', async (request) => (await request.grantkit.fetch('https://api.acme.com/me')).json());
 * ```
 */
export const grantkit = fp(plugin, { fastify: '5.x', name: '@grantkit/fastify' });
