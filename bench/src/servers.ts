import {
  type AuthServer,
  createAuthServer,
  createResourceServer,
  type ResourceServer,
} from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';

export const CLIENT_ID = 'svc';
export const CLIENT_SECRET = 's3cret';

/** The fake authorization server and the JWT-verifying resource server, both on loopback. */
export interface Loopback {
  readonly auth: AuthServer;
  readonly api: ResourceServer;
  readonly tokenUrl: string;
  /** `http://127.0.0.1:<port>` of the resource server. */
  readonly apiUrl: string;
  close(): Promise<void>;
}

/** Starts both servers; every library in a part talks to the same pair. */
export async function startLoopback(lifetimeSeconds = 3600): Promise<Loopback> {
  const auth = await createAuthServer({
    realms: {
      demo: { clients: { [CLIENT_ID]: { secret: CLIENT_SECRET, lifetimeSeconds, scopes: ['read'] } } },
    },
  });
  const authServer: RunningServer = await listen(auth.app);
  const api = createResourceServer({ auth, realm: 'demo' });
  const apiServer: RunningServer = await listen(api.app);
  return {
    auth,
    api,
    tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
    apiUrl: apiServer.url,
    close: async () => {
      await Promise.all([authServer.close(), apiServer.close()]);
    },
  };
}
