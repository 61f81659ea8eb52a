import { type AuthServer, createAuthServer } from '@grantkit/testing';
import { type FetchHandler, listen, type RunningServer } from '@grantkit/testing/node';
import { decodeJwt } from 'jose';
import { ADAPTERS, DEMO_DOMAIN, DEMO_SECRET } from './realm.js';

/** The embedded Keycloak-compatible authorization server, and the last token it issued to each client. */
export interface EmbeddedAuth {
  readonly auth: AuthServer;
  readonly server: RunningServer;
  /** The origin to hand to `verintCoaching({ authOrigin })`. */
  readonly origin: string;
  /** Revokes the newest token issued to `clientId`; `false` when it has none yet. */
  revokeLatest(clientId: string): boolean;
}

/** Remembers each token response's access token by client, so the demo can revoke "the current token". */
function rememberingIssuedTokens(auth: AuthServer, latest: Map<string, string>): FetchHandler {
  return {
    fetch: async (request, env) => {
      const response = await auth.app.fetch(request, env);
      if (response.status === 200 && request.url.endsWith('/token')) {
        const body = (await response.clone().json()) as { access_token?: unknown };
        if (typeof body.access_token === 'string') {
          const azp = decodeJwt(body.access_token)['azp'];
          if (typeof azp === 'string') latest.set(azp, body.access_token);
        }
      }
      return response;
    },
  };
}

/**
 * Starts the authorization server on a free loopback port with realm `demo` (served on Keycloak's
 * documented `/auth/realms/demo/...` path as well) and one client per adapter.
 */
export async function startEmbeddedAuth(lifetimeSeconds: number): Promise<EmbeddedAuth> {
  const clients = Object.fromEntries(
    ADAPTERS.map((adapter) => [adapter.clientId, { secret: DEMO_SECRET, lifetimeSeconds }]),
  );
  const auth = await createAuthServer({ realms: { [DEMO_DOMAIN]: { clients } } });
  const latest = new Map<string, string>();
  const server = await listen(rememberingIssuedTokens(auth, latest));
  return {
    auth,
    server,
    origin: server.url,
    revokeLatest(clientId) {
      const token = latest.get(clientId);
      if (token === undefined) return false;
      auth.revoke(token);
      return true;
    },
  };
}
