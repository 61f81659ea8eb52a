import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, isGrantkitError } from './index.js';

// oidc-provider as a real, independent authorization server: discovery, client_secret_basic with
// RFC 6749 §2.3.1 encoding, JWT access tokens for the client credentials grant.
const secret = 'p+ss:w%rd x/~';
let server: Server;
let issuer: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const key = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'k1' };
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [key] },
    clients: [
      {
        client_id: 'svc',
        client_secret: secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
      },
      {
        client_id: 'poster',
        client_secret: secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    scopes: ['read', 'write'],
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:coaching',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'read write',
          audience: 'urn:coaching',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 120,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('against oidc-provider', () => {
  it('discovers the token endpoint from the issuer and gets a verifiable JWT', async () => {
    const source = clientCredentials({
      issuer,
      clientId: 'svc',
      clientSecret: secret,
      scope: 'read',
      allowInsecureRequests: true,
    });
    const token = await source.getToken();
    expect(token.tokenType).toBe('Bearer');
    expect(token.scope).toBe('read');
    const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
    const { payload } = await jwtVerify(token.accessToken, jwks, { issuer, audience: 'urn:coaching' });
    expect(payload['client_id']).toBe('svc');
    // A 120 s token: cached, refreshed ahead, its expiry from expires_in.
    expect(token.expiresAt - Date.now()).toBeGreaterThan(100_000);
    expect(token.expiresAt - Date.now()).toBeLessThanOrEqual(120_000);
    expect(await source.getToken()).toBe(token);
  });

  it('uses a direct tokenUrl without discovery', async () => {
    const source = clientCredentials({
      tokenUrl: `${issuer}/token`,
      clientId: 'svc',
      clientSecret: secret,
      allowInsecureRequests: true,
    });
    const token = await source.getToken();
    expect(token.accessToken.split('.')).toHaveLength(3);
  });

  it('authenticates with client_secret_post when asked', async () => {
    const source = clientCredentials({
      tokenUrl: `${issuer}/token`,
      clientId: 'poster',
      clientSecret: secret,
      clientAuth: 'client_secret_post',
      allowInsecureRequests: true,
    });
    expect((await source.getToken()).accessToken).toBeTruthy();
  });

  it('maps a wrong secret onto a typed OAuth error that is not retried', async () => {
    const source = clientCredentials({
      issuer,
      clientId: 'svc',
      clientSecret: 'wrong',
      allowInsecureRequests: true,
    });
    const error = await source.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGrantkitError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'GRANTKIT_OAUTH_ERROR',
      error: 'invalid_client',
      retryable: false,
      endpointStatus: 401,
    });
    expect(source.state).toMatchObject({ status: 'backoff', failures: 1 });
  });

  it('asks for the configured scope and keeps configurations apart', async () => {
    const base = { issuer, clientId: 'svc', clientSecret: secret, allowInsecureRequests: true } as const;
    const [read, write] = await Promise.all([
      clientCredentials({ ...base, scope: 'read' }).getToken(),
      clientCredentials({ ...base, scope: 'write' }).getToken(),
    ]);
    expect(read.scope).toBe('read');
    expect(write.scope).toBe('write');
    expect(read.accessToken).not.toBe(write.accessToken);
  });

  it('takes an async secret function, and tries a refused secret with + in the raw encoding once', async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const base = {
      tokenUrl: `${issuer}/token`,
      clientId: 'svc',
      allowInsecureRequests: true,
      fetch: counting,
    };
    const good = clientCredentials({ ...base, clientSecret: async () => secret });
    expect((await good.getToken()).tokenType).toBe('Bearer');
    expect(requests).toHaveLength(1);
    const wrong = clientCredentials({ ...base, clientSecret: 'wr+ng' });
    const error = await wrong.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'GRANTKIT_OAUTH_ERROR', error: 'invalid_client' });
    expect(requests).toHaveLength(3);
  });
});
