import { clientCredentials, type TokenSource } from '@grantkit/core';
import { createAuthServer, createResourceServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';

export const SECRET = 's3cret+:% x';

/** A fake authorization server and protected API on loopback ports, with a streaming route. */
export async function startServers() {
  const auth = await createAuthServer({
    realms: {
      demo: {
        clients: {
          svc: { secret: SECRET, lifetimeSeconds: 3600 },
          other: { secret: 'other-secret', lifetimeSeconds: 3600 },
        },
      },
    },
  });
  const authServer = await listen(auth.app);
  const api = createResourceServer({
    auth,
    realm: 'demo',
    routes: (app) => {
      app.get('/stream', () => {
        const encoder = new TextEncoder();
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent === 3) return controller.close();
            sent += 1;
            controller.enqueue(encoder.encode(`chunk${sent}\n`));
          },
        });
        return new Response(body, {
          headers: { 'content-type': 'text/plain', 'set-cookie': 'upstream=1', 'x-upstream': 'yes' },
        });
      });
    },
  });
  const apiServer = await listen(api.app);
  const servers: RunningServer[] = [authServer, apiServer];
  const tokenUrl = auth.tokenUrl(authServer.url, 'demo');
  const source = (clientId = 'svc', clientSecret = SECRET, extra = {}): TokenSource =>
    clientCredentials({
      tokenUrl,
      clientId,
      clientSecret,
      allowInsecureRequests: true,
      retry: { attempts: 1 },
      ...extra,
    });
  return {
    auth,
    api,
    authServer,
    apiServer,
    tokenUrl,
    source,
    close: () => Promise.all(servers.map((server) => server.close())),
  };
}

export type Servers = Awaited<ReturnType<typeof startServers>>;
