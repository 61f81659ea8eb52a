/**
 * The embedded tenant: one realm named like a Verint tenant domain, one confidential client per adapter so
 * the authorization server can count each adapter's token requests on its own.
 */
export const DEMO_DOMAIN = 'demo';

export const DEMO_SECRET = 'demo-s3cret+:% x';

/** The adapters the demo drives, in report order, with the client each one authenticates as. */
export const ADAPTERS = [
  { name: 'fetch', clientId: 'demo-fetch', via: '@grantkit/fetch authFetch' },
  { name: 'ky', clientId: 'demo-ky', via: '@grantkit/ky authHooks' },
  { name: 'hono', clientId: 'demo-hono', via: '@grantkit/hono grantkit() middleware' },
  { name: 'express', clientId: 'demo-express', via: '@grantkit/express grantkit() middleware' },
  { name: 'hono proxy', clientId: 'demo-hono-proxy', via: '@grantkit/hono authProxy' },
  { name: 'express proxy', clientId: 'demo-express-proxy', via: '@grantkit/express authProxy' },
  { name: 'worker', clientId: 'demo-worker', via: '@grantkit/hono + @grantkit/cloudflare, 2 isolates' },
  { name: 'axios', clientId: 'demo-axios', via: '@grantkit/axios authInterceptors' },
  { name: 'undici', clientId: 'demo-undici', via: '@grantkit/undici authInterceptor (undici fetch)' },
  { name: 'openapi-fetch', clientId: 'demo-openapi-fetch', via: '@grantkit/openapi-fetch authMiddleware' },
  { name: 'fastify', clientId: 'demo-fastify', via: '@grantkit/fastify grantkit plugin' },
  { name: 'fastify proxy', clientId: 'demo-fastify-proxy', via: '@grantkit/fastify authProxy' },
] as const;

export type AdapterName = (typeof ADAPTERS)[number]['name'];

export const clientIdOf = (name: AdapterName): string =>
  ADAPTERS.find((adapter) => adapter.name === name)?.clientId ?? name;
