import { createAuthServer } from '@grantkit/testing';
import { describe, expect, it } from 'vitest';
import { discover } from './discovery.js';
import { clientCredentials } from './index.js';

const realms = { demo: { clients: { svc: { secret: 's3cret' } } } };

describe('issuer discovery', () => {
  it('finds the token endpoint of a Keycloak realm', async () => {
    const auth = await createAuthServer({ realms });
    const metadata = await discover(new URL('http://keycloak.test/realms/demo/'), auth.fetch, 1_000);
    expect(metadata.token_endpoint).toBe('http://keycloak.test/realms/demo/protocol/openid-connect/token');
  });

  it('refuses metadata that names another issuer', async () => {
    const auth = await createAuthServer({ realms, baseUrl: 'https://elsewhere.test' });
    await expect(
      discover(new URL('http://keycloak.test/realms/demo'), auth.fetch, 1_000),
    ).rejects.toMatchObject({
      code: 'GRANTKIT_INVALID_RESPONSE',
      message: expect.stringContaining('another issuer'),
    });
  });

  it('reports a missing realm with its status', async () => {
    const auth = await createAuthServer({ realms });
    await expect(
      discover(new URL('http://keycloak.test/realms/nope'), auth.fetch, 1_000),
    ).rejects.toMatchObject({
      code: 'GRANTKIT_INVALID_RESPONSE',
      endpointStatus: 404,
      retryable: false,
    });
  });

  it('refuses a discovered http: token endpoint unless insecure requests are allowed', async () => {
    const auth = await createAuthServer({ realms, baseUrl: 'http://keycloak.test' });
    // The issuer itself is https, so only the discovered endpoint is plain http.
    const metadata = await (
      await auth.fetch('http://keycloak.test/realms/demo/.well-known/openid-configuration')
    ).json();
    const source = clientCredentials({
      issuer: 'https://keycloak.test/realms/demo',
      clientId: 'svc',
      clientSecret: 's3cret',
      retry: { attempts: 1 },
      fetch: async () => Response.json({ ...metadata, issuer: 'https://keycloak.test/realms/demo' }),
    });
    await expect(source.getToken()).rejects.toMatchObject({ code: 'GRANTKIT_CONFIGURATION' });
  });
});
