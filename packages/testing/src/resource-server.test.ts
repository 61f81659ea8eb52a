import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthServer, createAuthServer } from './auth-server.js';
import { createManualClock } from './clock.js';
import { listen, type RunningServer } from './node.js';
import { createResourceServer, type ResourceServer } from './resource-server.js';

const clock = createManualClock();
let auth: AuthServer;
let api: ResourceServer;
let apiServer: RunningServer;

const getToken = async (clientId = 'svc'): Promise<string> => {
  const response = await auth.app.request(auth.tokenUrl('http://localhost', 'demo'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${clientId}&client_secret=s`,
  });
  return (await response.json()).access_token;
};

beforeAll(async () => {
  auth = await createAuthServer({
    clock,
    realms: {
      demo: { clients: { svc: { secret: 's', lifetimeSeconds: 60, scopes: ['read'] } } },
      elsewhere: { clients: { svc: { secret: 's' } } },
    },
  });
  api = createResourceServer({
    auth,
    realm: 'demo',
    routes: (app) => app.get('/me', (c) => c.text(c.get('claims').sub ?? '')),
  });
  apiServer = await listen(api.app);
});
afterAll(() => apiServer.close());
beforeEach(() => {
  api.reset();
  auth.reset();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('createResourceServer', () => {
  it('asks for a token when none is sent', async () => {
    const response = await fetch(`${apiServer.url}/echo`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="demo"');
    expect([api.requests, api.unauthorized]).toEqual([1, 1]);
  });

  it('rejects an expired token, judged by the auth server clock', async () => {
    const token = await getToken();
    expect((await api.app.request('/echo', { headers: bearer(token) })).status).toBe(200);
    clock.advance(61_000);
    const response = await api.app.request('/echo', { headers: bearer(token) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description="[^"]*expired/,
    );
    expect(api.unauthorized).toBe(1);
  });

  it('rejects a revoked token but accepts a fresh one', async () => {
    const revoked = await getToken();
    auth.revoke(revoked);
    const response = await api.app.request('/echo', { headers: bearer(revoked) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token".*revoked/);
    expect((await api.app.request('/echo', { headers: bearer(await getToken()) })).status).toBe(200);
  });

  it('rejects a token with a bad signature, a foreign key, or from another realm', async () => {
    const token = await getToken();
    const [header, payload] = token.split('.');
    const { privateKey } = await generateKeyPair('RS256');
    const kid = auth.jwks.keys[0]?.kid ?? '';
    const forged = await new SignJWT({ azp: 'svc' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(auth.issuer('http://localhost', 'demo'))
      .setExpirationTime(clock.now() / 1000 + 60)
      .sign(privateKey);
    const tampered = `${header}.${payload}.${forged.split('.')[2]}`;
    const otherRealm = await (
      await auth.app.request(auth.tokenUrl('http://localhost', 'elsewhere'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=svc&client_secret=s',
      })
    ).json();
    for (const bad of [forged, tampered, 'not.a.jwt', otherRealm.access_token]) {
      const response = await api.app.request('/echo', { headers: bearer(bad) });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="demo", error="invalid_token"/);
    }
  });

  it('checks the audience when configured', async () => {
    const strict = createResourceServer({ auth, realm: 'demo', audience: 'coaching' });
    expect((await strict.app.request('/echo', { headers: bearer(await getToken()) })).status).toBe(401);
  });

  it('echoes a JSON request over a socket, redacting the token but naming it', async () => {
    const token = await getToken();
    const response = await fetch(`${apiServer.url}/echo/things?x=1&y=two`, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/json', 'X-Trace': 'abc' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(200);
    const echo = await response.json();
    expect(echo).toMatchObject({
      method: 'POST',
      path: '/echo/things',
      query: { x: '1', y: 'two' },
      body: '{"hello":"world"}',
      bodyEncoding: 'utf8',
      contentType: 'application/json',
      sub: 'service-account-svc',
      clientId: 'svc',
      scope: 'read',
    });
    expect(echo.headers).toMatchObject({ authorization: 'Bearer <redacted>', 'x-trace': 'abc' });
    expect(JSON.stringify(echo)).not.toContain(token);
    expect(echo.tokenId).toBe(
      JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).jti,
    );
  });

  it('echoes a binary body as base64', async () => {
    const bytes = new Uint8Array([0, 255, 128, 10, 13]);
    const response = await api.app.request('/echo', {
      method: 'PUT',
      headers: { ...bearer(await getToken()), 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    const echo = await response.json();
    expect(echo.bodyEncoding).toBe('base64');
    expect(Uint8Array.from(atob(echo.body), (c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('serves custom routes behind the bearer check, and logs requests', async () => {
    const response = await api.app.request('/me', { headers: bearer(await getToken()) });
    expect(await response.text()).toBe('service-account-svc');
    expect(api.requestLog).toEqual([{ at: clock.now(), method: 'GET', path: '/me', status: 200 }]);
  });
});
