import { type ClientCredentialsOptions, clientCredentials, MemoryTokenStore } from '@grantkit/core';
import {
  type AuthServer,
  createAuthServer,
  createResourceServer,
  type EchoResponse,
  type ResourceServer,
} from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';

export type { EchoResponse };

/** The secret of client `svc`: it has the characters RFC 6749 §2.3.1 encoding must get right. */
export const SECRET = 's3cret+:% x';

/** What {@link startServers} runs on loopback ports. */
export interface Servers {
  readonly auth: AuthServer;
  readonly api: ResourceServer;
  readonly authServer: RunningServer;
  readonly apiServer: RunningServer;
  readonly apiUrl: string;
  /** Another origin that answers `{ authorization, url }` without checking anything. */
  readonly openUrl: string;
  readonly tokenUrl: string;
  /** A fresh client credentials source (client `svc` with {@link SECRET} by default; also `other`). */
  source(
    clientId?: string,
    clientSecret?: string,
    extra?: Partial<ClientCredentialsOptions>,
  ): ReturnType<typeof clientCredentials>;
  close(): Promise<void>;
}

/** A streamed body of three chunks, with headers a proxy must filter. */
function streamed(): Response {
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
}

/**
 * The fake authorization server, the protected echo API (plus `GET /stream`), and an open origin that
 * shows what it received, each on a loopback port.
 */
export async function startServers(): Promise<Servers> {
  const auth = await createAuthServer({
    realms: {
      demo: {
        clients: {
          svc: { secret: SECRET, lifetimeSeconds: 3600, scopes: ['read'] },
          other: { secret: 'other-secret', lifetimeSeconds: 3600 },
        },
      },
    },
  });
  const api = createResourceServer({ auth, realm: 'demo', routes: (app) => app.get('/stream', streamed) });
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
    authServer,
    apiServer,
    apiUrl: apiServer.url,
    openUrl: openServer.url,
    tokenUrl,
    source: (clientId = 'svc', clientSecret = SECRET, extra = {}) =>
      clientCredentials({
        tokenUrl,
        clientId,
        clientSecret,
        allowInsecureRequests: true,
        retry: { attempts: 1 },
        // Each test's source starts cold: identical configurations would otherwise share one token in the
        // process (core tests that sharing itself).
        store: new MemoryTokenStore(),
        ...extra,
      }),
    close: async () => {
      await Promise.all(running.map((server) => server.close()));
    },
  };
}
