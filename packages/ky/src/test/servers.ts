import { clientCredentials } from '@grantkit/core';
import {
  type AuthServer,
  createAuthServer,
  createResourceServer,
  type EchoResponse,
  type ResourceServer,
} from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';

export type { EchoResponse };

/** The fake authorization server, the protected echo API, and an open server that shows what it received. */
export interface Servers {
  readonly auth: AuthServer;
  readonly api: ResourceServer;
  readonly apiUrl: string;
  /** Another origin that answers `{ authorization }` without checking anything. */
  readonly openUrl: string;
  /** A fresh client credentials source for `svc`. */
  source(clientSecret?: string): ReturnType<typeof clientCredentials>;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600, scopes: ['read'] } } } },
  });
  const api = createResourceServer({ auth, realm: 'demo' });
  const running: RunningServer[] = await Promise.all([
    listen(auth.app),
    listen(api.app),
    listen({
      fetch: (request) =>
        Response.json({ authorization: request.headers.get('authorization'), url: request.url }),
    }),
  ]);
  const [authServer, apiServer, openServer] = running as [RunningServer, RunningServer, RunningServer];
  const tokenUrl = auth.tokenUrl(authServer.url, 'demo');
  return {
    auth,
    api,
    apiUrl: apiServer.url,
    openUrl: openServer.url,
    source: (clientSecret = 's3cret') =>
      clientCredentials({ tokenUrl, clientId: 'svc', clientSecret, allowInsecureRequests: true }),
    close: async () => {
      await Promise.all(running.map((server) => server.close()));
    },
  };
}
