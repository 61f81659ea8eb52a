import { bundleWorker } from '@grantkit/test-servers/workerd';
import {
  type AuthServer,
  createAuthServer,
  createResourceServer,
  type EchoResponse,
} from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'p+ss: %wörd';

describe('the example Worker, inside workerd', () => {
  let auth: AuthServer;
  let authServer: RunningServer;
  let apiServer: RunningServer;
  let worker: Miniflare;
  let options: MiniflareOptions & { bindings: Record<string, string> };

  beforeAll(async () => {
    auth = await createAuthServer({ realms: { acme: { clients: { coaching: { secret: SECRET } } } } });
    authServer = await listen(auth.app);
    apiServer = await listen(createResourceServer({ auth, realm: 'acme' }).app);
    // What `wrangler deploy` does: bundle src/index.ts for workerd.
    options = {
      modules: true,
      script: await bundleWorker(new URL('./index.ts', import.meta.url)),
      compatibilityDate: '2026-04-01',
      durableObjects: { GRANTKIT_TOKENS: 'TokenStoreObject' },
      bindings: {
        TOKEN_KEY: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))),
        VERINT_DOMAIN: 'acme',
        CLIENT_ID: 'coaching',
        CLIENT_SECRET: SECRET,
        // The fake serves Verint's documented /auth/realms/{domain} path; only its origin differs.
        TOKEN_URL: auth.tokenUrl(authServer.url, 'acme', { legacyAuthPrefix: true }),
        API_BASE_URL: `${apiServer.url}/echo`,
        ALLOW_INSECURE_REQUESTS: 'true',
      },
    };
    worker = new Miniflare(options);
    await worker.ready;
  });

  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([authServer?.close(), apiServer?.close()]);
  });

  it('GET /sessions calls the protected API with a token from the env credentials', async () => {
    const response = await worker.dispatchFetch('http://worker.example/sessions');
    expect(response.status).toBe(200);
    const { upstreamStatus, sessions } = (await response.json()) as {
      upstreamStatus: number;
      sessions: EchoResponse;
    };
    expect(upstreamStatus).toBe(200);
    expect(sessions).toMatchObject({
      clientId: 'coaching',
      path: '/echo/sessions',
      query: { status: 'open' },
    });
  });

  it('proxies /api/* to the API with the token, and reuses the token across requests', async () => {
    const before = auth.tokenRequestsFor('coaching');
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(async (id) => {
        const response = await worker.dispatchFetch(`http://worker.example/api/notes/${id}`, {
          method: 'POST',
          body: `note ${id}`,
        });
        return { status: response.status, echo: (await response.json()) as EchoResponse };
      }),
    );
    for (const [i, { status, echo }] of answers.entries()) {
      expect(status).toBe(200);
      expect(echo).toMatchObject({ method: 'POST', path: `/echo/notes/${'abc'[i]}`, clientId: 'coaching' });
    }
    expect(new Set(answers.map((a) => a.echo.tokenId)).size).toBe(1);
    expect(auth.tokenRequestsFor('coaching') - before).toBe(before === 0 ? 1 : 0);
  });

  it('answers a problem response, without the secret, when the token endpoint refuses the credentials', async () => {
    // A rotated client id in env gets a source of its own; this one the authorization server does not know.
    await worker.setOptions({ ...options, bindings: { ...options.bindings, CLIENT_ID: 'retired-client' } });
    const response = await worker.dispatchFetch('http://worker.example/sessions');
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.text();
    expect(problem).toContain('GRANTKIT_OAUTH_ERROR');
    expect(problem).not.toContain(SECRET);
  });
});
