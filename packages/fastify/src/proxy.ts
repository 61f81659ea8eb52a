import { type AuthProxyOptions as FetchAuthProxyOptions, authProxy as fetchAuthProxy } from '@grantkit/fetch';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { webRequest } from './web-request.js';

/**
 * Options of the {@link authProxy} plugin: `@grantkit/fetch`'s, with the Fastify request as the context of
 * `source`, `target` and `rewrite`. The path is taken relative to the plugin's `prefix`.
 *
 * @example
 * ```ts
 * const options: AuthProxyOptions = { source, target: 'https://api.acme.com/coaching' };
 * ```
 */
export type AuthProxyOptions = Omit<FetchAuthProxyOptions<FastifyRequest>, 'stripPrefix'>;

/**
 * A Fastify 5 plugin over `@grantkit/fetch`'s web-standard `authProxy`: every method under the plugin's
 * `prefix` is forwarded to `target` with the service's token — any content type (the plugin's own parser
 * leaves the body unread, so it streams upstream), the answer streamed back. See `@grantkit/fetch` for
 * what it forwards, refuses (`400`) and answers (`502`, `504`, token problems).
 *
 * @example
 * ```ts
 * import { authProxy } from '@grantkit/fastify';
 *
 * await app.register(authProxy, { prefix: '/coaching', source, target: 'https://api.acme.com/coaching' });
 * ```
 */
export const authProxy: FastifyPluginAsync<AuthProxyOptions> = async (app, options) => {
  const proxy = fetchAuthProxy<FastifyRequest>({ ...options, stripPrefix: app.prefix });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const forward = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.send(await proxy.handle(webRequest(request, reply), { context: request }));
  app.all('/', forward);
  app.all('/*', forward);
};
