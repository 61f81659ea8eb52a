import { type AuthServer, createResourceServer, type ResourceServer } from '@grantkit/testing';
import type { FetchHandler } from '@grantkit/testing/node';
import { decodeJwt } from 'jose';

const agents = [
  { id: 'ag-101', name: 'Ada Byrne', team: 'Billing' },
  { id: 'ag-102', name: 'Ravi Menon', team: 'Billing' },
  { id: 'ag-103', name: 'Lena Fischer', team: 'Retention' },
];

const sessions = [
  { id: 'cs-9001', agentId: 'ag-101', topic: 'Empathy on escalations', status: 'completed', score: 4.5 },
  { id: 'cs-9002', agentId: 'ag-102', topic: 'First call resolution', status: 'scheduled', score: null },
  { id: 'cs-9003', agentId: 'ag-103', topic: 'Save offers', status: 'in-progress', score: null },
];

/** The fake Coaching API, and whom it turned away: `401`s counted by the client the rejected token names. */
export interface CoachingApi {
  readonly server: ResourceServer;
  /** Serve this (e.g. with `listen`): the API with the `401` count in front. */
  readonly fetch: FetchHandler['fetch'];
  /** `401` answers to requests whose (rejected) bearer token was issued to `clientId`. */
  rejectedFor(clientId: string): number;
}

const clientOf = (authorization: string | null): string | undefined => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  try {
    const claims = decodeJwt(token);
    return typeof claims['azp'] === 'string' ? claims['azp'] : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A plausible, read-only slice of the Verint Coaching API, JWT-verified by `@grantkit/testing`:
 * `GET /coaching/v1/sessions`, `GET /coaching/v1/sessions/:id`, `GET /coaching/v1/agents`.
 */
export function createCoachingApi(auth: AuthServer, realm: string): CoachingApi {
  const rejected = new Map<string, number>();
  const api = createResourceServer({
    auth,
    realm,
    routes: (app) => {
      app.get('/coaching/v1/sessions', (c) => c.json({ items: sessions, total: sessions.length }));
      app.get('/coaching/v1/sessions/:id', (c) => {
        const session = sessions.find((s) => s.id === c.req.param('id'));
        return session ? c.json(session) : c.json({ error: 'not_found' }, 404);
      });
      app.get('/coaching/v1/agents', (c) => c.json({ items: agents, total: agents.length }));
    },
  });
  return {
    server: api,
    fetch: async (request, env) => {
      const response = await api.app.fetch(request, env);
      const clientId = response.status === 401 ? clientOf(request.headers.get('Authorization')) : undefined;
      if (clientId !== undefined) rejected.set(clientId, (rejected.get(clientId) ?? 0) + 1);
      return response;
    },
    rejectedFor: (clientId) => rejected.get(clientId) ?? 0,
  };
}
