import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAuthServer, createResourceServer } from '@grantkit/testing';
import { getRequestListener } from '@hono/node-server';

/** The self-signed certificate for `localhost` / `127.0.0.1` the example servers use (tests only). */
export const CERTIFICATE = join(import.meta.dirname, '..', 'fixtures', 'localhost-cert.pem');
const KEY = join(import.meta.dirname, '..', 'fixtures', 'localhost-key.pem');

/** The client the READMEs' examples use: realm `acme`, id `svc`, the secret in `CLIENT_SECRET`. */
export const EXAMPLE_CLIENT = { realm: 'acme', clientId: 'svc', secret: 'readme+s3cret:% x' } as const;

/** The URLs the READMEs' examples use, each answered here by a fake on a loopback HTTPS port. */
export const EXAMPLE_ORIGINS = {
  auth: 'https://auth.example.com',
  api: 'https://api.example.com',
} as const;

function listenHttps(fetch: (request: Request) => Response | Promise<Response>): Promise<Server> {
  const server = createServer(
    { key: readFileSync(KEY), cert: readFileSync(CERTIFICATE) },
    getRequestListener(fetch),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const origin = (server: Server) => `https://localhost:${(server.address() as AddressInfo).port}`;

/**
 * The fake Keycloak and a token-verifying API that answers every path with `{ ok, path }`, over TLS on
 * loopback, so the examples run exactly as written but for their URLs.
 */
export async function startExampleServers() {
  const auth = await createAuthServer({
    realms: {
      [EXAMPLE_CLIENT.realm]: {
        clients: {
          [EXAMPLE_CLIENT.clientId]: {
            secret: EXAMPLE_CLIENT.secret,
            lifetimeSeconds: 300,
            scopes: ['read'],
          },
        },
      },
    },
  });
  const api = createResourceServer({
    auth,
    realm: EXAMPLE_CLIENT.realm,
    routes: (app) => app.all('*', (c) => c.json({ ok: true, path: c.req.path })),
  });
  const authServer = await listenHttps(auth.app.fetch);
  const apiServer = await listenHttps(api.app.fetch);
  return {
    auth,
    api,
    /** Replaces the examples' URLs with the fakes'. */
    rewrite: (code: string) =>
      code
        .replaceAll(EXAMPLE_ORIGINS.auth, origin(authServer))
        .replaceAll(EXAMPLE_ORIGINS.api, origin(apiServer)),
    close: async () => {
      for (const server of [authServer, apiServer]) {
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    },
  };
}
