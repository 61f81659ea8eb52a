// Type-level use of @grantkit/testing and its ./node subpath (compiled by test:tarballs).
import { createAuthServer, createManualClock, createResourceServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';

export async function serve(): Promise<{ tokenUrl: string; servers: RunningServer[] }> {
  const clock = createManualClock();
  const auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 60, scopes: ['read'] } } } },
    clock,
  });
  const api = createResourceServer({ auth, realm: 'demo' });
  const authServer = await listen(auth.app);
  const apiServer = await listen(api.app);
  clock.advance(1_000);
  const requests: number = auth.tokenRequests;
  return {
    tokenUrl: `${auth.tokenUrl(authServer.url, 'demo')}#${requests}`,
    servers: [authServer, apiServer],
  };
}
