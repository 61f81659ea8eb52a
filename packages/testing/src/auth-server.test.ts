import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthServer, createAuthServer } from './auth-server.js';
import { createManualClock } from './clock.js';
import { listen, type RunningServer } from './node.js';

const secret = 'p+ss:w%rd x';
const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
const basic = (id: string, password: string): string =>
  `Basic ${btoa(`${formEncode(id)}:${formEncode(password)}`)}`;
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

let auth: AuthServer;
let server: RunningServer;
const clock = createManualClock();

beforeAll(async () => {
  auth = await createAuthServer({
    clock,
    realms: {
      demo: {
        clients: {
          svc: { secret, lifetimeSeconds: 3600, scopes: ['read', 'write'] },
          other: { secret: 'x' },
        },
      },
    },
  });
  server = await listen(auth.app);
});
afterAll(() => server.close());
beforeEach(() => {
  auth.reset();
  auth.unknownClientStyle = '401-unauthorized_client';
  auth.basicDecoding = 'rfc6749';
});

/** The two ways tests reach the app: in-process and over a loopback socket. */
const transports = [
  {
    name: 'in-process',
    base: () => 'http://localhost',
    send: (url: string, init: RequestInit) => auth.app.request(url, init),
  },
  { name: 'loopback', base: () => server.url, send: (url: string, init: RequestInit) => fetch(url, init) },
] as const;

describe.each(transports)('token endpoint ($name)', ({ base, send }) => {
  const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = {}, legacy = false) =>
    send(auth.tokenUrl(base(), 'demo', { legacyAuthPrefix: legacy }), {
      method: 'POST',
      headers: { ...form, ...headers },
      body: new URLSearchParams(body).toString(),
    });

  it('issues a token with client_secret_basic and a secret full of + : % and space', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic('svc', secret) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_expires_in: 0,
      'not-before-policy': 0,
      scope: 'read write',
    });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      iss: auth.issuer(base(), 'demo'),
      sub: 'service-account-svc',
      aud: 'account',
      azp: 'svc',
      clientId: 'svc',
      typ: 'Bearer',
      scope: 'read write',
      iat: clock.now() / 1000,
      exp: clock.now() / 1000 + 3600,
    });
    expect(typeof claims.jti).toBe('string');
    expect(auth.requestLog[0]).toMatchObject({
      clientId: 'svc',
      auth: 'basic',
      status: 200,
      grantType: 'client_credentials',
    });
  });

  it('issues a token with client_secret_post on the legacy /auth prefix, with its own issuer', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials', client_id: 'svc', client_secret: secret, scope: 'read' },
      {},
      true,
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.scope).toBe('read');
    expect(decodeJwt(body.access_token).iss).toBe(`${base()}/auth/realms/demo`);
    expect(auth.requestLog[0]).toMatchObject({
      auth: 'post',
      scope: 'read',
      path: '/auth/realms/demo/protocol/openid-connect/token',
    });
  });

  it('puts audience and resource parameters in aud', async () => {
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'svc',
      client_secret: secret,
      audience: 'coaching',
      resource: 'https://api.example.com',
    });
    expect(decodeJwt((await response.json()).access_token).aud).toEqual([
      'coaching',
      'https://api.example.com',
    ]);
  });

  it('answers a bad secret the Keycloak way (401 unauthorized_client, Basic challenge)', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic('svc', 'wrong') },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="demo"');
    expect(await response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Invalid client or Invalid client credentials',
    });
    expect(auth.issuedTokens).toBe(0);
  });

  it('decodes Basic like Keycloak before 20 in raw mode: only the unencoded secret works', async () => {
    auth.basicDecoding = 'raw';
    const raw = `Basic ${btoa(`svc:${secret}`)}`;
    const statuses = [];
    for (const authorization of [basic('svc', secret), raw]) {
      statuses.push(
        (await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: authorization })).status,
      );
    }
    expect(statuses).toEqual([401, 200]);
    auth.basicDecoding = 'rfc6749';
    // `%rd` is no percent-escape: an RFC 6749 server cannot decode the raw header at all.
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: raw })).status).toBe(
      400,
    );
  });

  it('answers an unknown client with 400 invalid_client when asked to', async () => {
    auth.unknownClientStyle = '400-invalid_client';
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: 'x',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect((await response.json()).error).toBe('invalid_client');
  });

  it('refuses both client authentication methods at once', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials', client_secret: secret },
      { Authorization: basic('svc', secret) },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('invalid_request');
  });

  it('refuses other grant types and unknown scopes', async () => {
    const grant = await tokenRequest({ grant_type: 'password', client_id: 'svc', client_secret: secret });
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
    const scope = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'svc',
      client_secret: secret,
      scope: 'read admin',
    });
    expect(scope.status).toBe(400);
    expect((await scope.json()).error).toBe('invalid_scope');
  });

  it('serves discovery with an issuer matching the prefix used, and a JWKS that verifies issued tokens', async () => {
    for (const legacy of [false, true]) {
      const issuer = auth.issuer(base(), 'demo', { legacyAuthPrefix: legacy });
      const discovery = await (await send(`${issuer}/.well-known/openid-configuration`, {})).json();
      expect(discovery).toMatchObject({
        issuer,
        token_endpoint: auth.tokenUrl(base(), 'demo', { legacyAuthPrefix: legacy }),
        jwks_uri: `${issuer}/protocol/openid-connect/certs`,
      });
      expect(discovery.grant_types_supported).toContain('client_credentials');
      expect(discovery.token_endpoint_auth_methods_supported).toEqual([
        'client_secret_basic',
        'client_secret_post',
      ]);
      const jwks = await (await send(discovery.jwks_uri, {})).json();
      const token = (
        await (
          await tokenRequest(
            { grant_type: 'client_credentials' },
            { Authorization: basic('svc', secret) },
            legacy,
          )
        ).json()
      ).access_token;
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
        issuer,
        currentDate: new Date(clock.now()),
      });
      expect(payload).toMatchObject({ azp: 'svc' });
    }
  });

  it('answers 404 for an unknown realm', async () => {
    const response = await send(`${base()}/realms/nope/.well-known/openid-configuration`, {});
    expect(response.status).toBe(404);
  });

  it('counts every hit, per client, and every token issued', async () => {
    await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: basic('svc', secret) });
    await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: basic('svc', 'bad') });
    await tokenRequest({ grant_type: 'client_credentials', client_id: 'other', client_secret: 'x' });
    expect(auth.tokenRequests).toBe(3);
    expect(auth.tokenRequestsFor('svc')).toBe(2);
    expect(auth.tokenRequestsFor('other')).toBe(1);
    expect(auth.issuedTokens).toBe(2);
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([200, 401, 200]);
    auth.reset();
    expect([auth.tokenRequests, auth.issuedTokens, auth.requestLog.length]).toEqual([0, 0, 0]);
  });

  it('applies setLifetime and setClientSecret', async () => {
    auth.setLifetime('other', 4);
    auth.setClientSecret('other', 'new secret');
    const old = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'other',
      client_secret: 'x',
    });
    expect(old.status).toBe(401);
    const fresh = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'other',
      client_secret: 'new secret',
    });
    expect((await fresh.json()).expires_in).toBe(4);
    auth.setLifetime('other', 300);
    auth.setClientSecret('other', 'x');
    expect(() => auth.setLifetime('ghost', 1)).toThrow(/ghost/);
  });
});

describe('createAuthServer options', () => {
  it('uses baseUrl for the issuer whatever the request origin', async () => {
    const fixed = await createAuthServer({
      baseUrl: 'https://auth.example.com/',
      realms: { r: { clients: { c: { secret: 's' } } } },
    });
    const discovery = await (
      await fixed.app.request('/auth/realms/r/.well-known/openid-configuration')
    ).json();
    expect(discovery.issuer).toBe('https://auth.example.com/auth/realms/r');
    const response = await fixed.fetch(
      new Request('http://localhost/realms/r/protocol/openid-connect/token', {
        method: 'POST',
        headers: form,
        body: 'grant_type=client_credentials&client_id=c&client_secret=s',
      }),
    );
    const claims = decodeJwt((await response.json()).access_token);
    expect(claims.iss).toBe('https://auth.example.com/realms/r');
    expect(claims).toMatchObject({ scope: '' });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('tokenUrl and issuer build both layouts', () => {
    expect(auth.tokenUrl('https://a.example', 'demo')).toBe(
      'https://a.example/realms/demo/protocol/openid-connect/token',
    );
    expect(auth.tokenUrl('https://a.example', 'demo', { legacyAuthPrefix: true })).toBe(
      'https://a.example/auth/realms/demo/protocol/openid-connect/token',
    );
    expect(auth.issuer('https://a.example', 'demo')).toBe('https://a.example/realms/demo');
  });

  it('a remote JWKS over the loopback server verifies tokens', async () => {
    const issuer = auth.issuer(server.url, 'demo');
    const response = await fetch(auth.tokenUrl(server.url, 'demo'), {
      method: 'POST',
      headers: { ...form, Authorization: basic('svc', secret) },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = await response.json();
    const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
    await expect(jwtVerify(access_token, jwks, { currentDate: new Date(clock.now()) })).resolves.toBeTruthy();
  });
});
