import { type ClientCredentialsOptions, clientCredentials, MemoryTokenStore } from '@grantkit/core';
import {
  type AuthServer,
  createAuthServer,
  createResourceServer,
  type EchoResponse,
  type ResourceServer,
} from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';

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
  /**
   * Another origin that answers `{ authorization, url }` without checking anything; any path ending in
   * `/redirect?to=<url>[&status=307]` redirects, any ending in `/refuses` answers 401.
   */
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

const REFUSED = { 'www-authenticate': 'Bearer realm="demo", error="invalid_token"' };

/**
 * The open origin: answers `{ authorization, url }`; `…/redirect?to=<url>` redirects (302, or `status`);
 * `…/refuses` answers 401 whatever it is sent.
 */
function openOrigin(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname.endsWith('/redirect'))
    return new Response(null, {
      status: Number(url.searchParams.get('status') ?? 302),
      headers: { location: url.searchParams.get('to') ?? '/' },
    });
  if (url.pathname.endsWith('/refuses')) return new Response(null, { status: 401, headers: REFUSED });
  return Response.json({ authorization: request.headers.get('authorization'), url: request.url });
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
  const api = createResourceServer({
    auth,
    realm: 'demo',
    routes: (app) =>
      app
        .get('/stream', streamed)
        // A path that refuses every token, valid or not (a missing permission answered as 401).
        .all('/refuses/*', () => new Response(null, { status: 401, headers: REFUSED }))
        // `?to=<url>[&status=307]`: a redirect (302 unless `status` says), for the token-follows-redirect rules.
        .all('/redirect', (c) => {
          const status = Number(c.req.query('status') ?? 302) as 301 | 302 | 303 | 307 | 308;
          return c.redirect(c.req.query('to') ?? '/', status);
        }),
  });
  const running: RunningServer[] = await Promise.all([
    listen(auth.app),
    listen(api.app),
    listen({ fetch: openOrigin }),
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

/**
 * The servers of a test file or `describe` block: started before its tests, closed after them, and every
 * recorded request, revocation and fault cleared before each test. Read it inside hooks and tests only.
 *
 * @example
 * ```ts
 * const s = useServers();
 * it('gets a token', async () => {
 *   await s.source().getToken();
 *   expect(s.auth.tokenRequests).toBe(1);
 * });
 * ```
 */
export function useServers(): Servers {
  let started: Servers | undefined;
  const current = (): Servers => {
    if (!started)
      throw new Error('useServers(): the servers start in beforeAll; read them in hooks and tests');
    return started;
  };
  beforeAll(async () => {
    started = await startServers();
  });
  afterAll(() => started?.close());
  beforeEach(() => {
    const s = current();
    s.auth.reset();
    s.auth.faults.clear();
    s.api.reset();
  });
  return new Proxy({} as Servers, { get: (_target, name) => Reflect.get(current(), name) });
}
