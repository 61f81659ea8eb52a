import { describe, expect, it } from 'vitest';
import {
  type ClientCredentialsOptions,
  clientCredentials,
  MemoryTokenStore,
  verintCoaching,
  verintTokenUrl,
} from './index.js';

const base: ClientCredentialsOptions = {
  tokenUrl: 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
  clientId: 'svc',
  clientSecret: 'top-secret',
};

function configurationError(options: unknown): unknown {
  try {
    clientCredentials(options as ClientCredentialsOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('options', () => {
  it.each([
    ['a Basic encoding that does not exist', { basicEncoding: 'latin1' }, /basicEncoding/],
    ['a secret that is neither a string nor a function', { clientSecret: 42 }, /clientSecret/],
    ['a response cap below 1', { maxResponseBytes: 0 }, /maxResponseBytes/],
    ['an http: token URL', { tokenUrl: 'http://auth.acme/token' }, /https/],
    ['no token URL nor issuer', { tokenUrl: undefined }, /exactly one/],
    ['both token URL and issuer', { issuer: 'https://auth.acme/realms/acme' }, /exactly one/],
    ['a token URL that is not a URL', { tokenUrl: 'not a url' }, /not a URL/],
    ['a non-http scheme', { tokenUrl: 'ftp://auth.acme/token' }, /https/],
    ['credentials in the URL', { tokenUrl: 'https://u:p@auth.acme/token' }, /credentials/],
    ['an empty client id', { clientId: '' }, /clientId/],
    ['a missing secret', { clientSecret: undefined }, /clientSecret/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs/],
    ['an infinite skew', { expirySkewMs: Number.POSITIVE_INFINITY }, /expirySkewMs/],
    ['zero attempts', { retry: { attempts: 0 } }, /attempts/],
    ['NaN max delay', { retry: { maxDelayMs: Number.NaN } }, /maxDelayMs/],
    ['an unknown client auth', { clientAuth: 'private_key_jwt' }, /clientAuth/],
    ['a grant_type parameter', { parameters: { grant_type: 'password' } }, /grant_type/],
    ['an empty scope', { scope: '' }, /scope/],
  ])('refuses %s with a configuration error', (_name, override, message) => {
    const error = configurationError({ ...base, ...override });
    expect(error).toMatchObject({ code: 'GRANTKIT_CONFIGURATION', message: expect.stringMatching(message) });
    expect(String(error)).not.toContain('top-secret');
  });

  it('allows http: only when asked, for loopback tests and local development', () => {
    expect(
      configurationError({ ...base, tokenUrl: 'http://127.0.0.1:8080/token', allowInsecureRequests: true }),
    ).toBeUndefined();
  });

  it('starts empty and reports no token in its state', () => {
    expect(clientCredentials(base).state).toEqual({ status: 'empty', failures: 0 });
  });
});

describe('verintCoaching', () => {
  it('builds the documented token URL', () => {
    expect(verintTokenUrl({ domain: 'acme' })).toBe(
      'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
    );
  });

  it('drops /auth for Keycloak 17+ and takes another origin', () => {
    expect(verintTokenUrl({ domain: 'acme', pathPrefix: '', authOrigin: 'https://sso.example.com/' })).toBe(
      'https://sso.example.com/realms/acme/protocol/openid-connect/token',
    );
  });

  it.each(['', 'ac me', 'acme/../x', '-acme', 'a'.repeat(64)])('refuses the domain %j', (domain) => {
    expect(() => verintTokenUrl({ domain })).toThrow(
      expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }),
    );
  });

  it.each(['https://acme', 'auth.acme.example/realms', 'acme:8443', 'http://auth.acme.example/'])(
    'a domain %j that is a URL says to use authOrigin or tokenUrl',
    (domain) => {
      expect(() => verintCoaching({ domain, clientId: 'svc', clientSecret: 's' })).toThrow(
        expect.objectContaining({
          code: 'GRANTKIT_CONFIGURATION',
          message: expect.stringMatching(/authOrigin.*tokenUrl/),
        }),
      );
    },
  );

  it('returns a source, and a whole tokenUrl overrides the preset', () => {
    expect(verintCoaching({ domain: 'acme', clientId: 'svc', clientSecret: 's' }).state.status).toBe('empty');
    expect(() =>
      verintCoaching({ domain: 'acme', clientId: 'svc', clientSecret: 's', tokenUrl: 'http://127.0.0.1/t' }),
    ).toThrow(/https/);
  });
});

describe('MemoryTokenStore', () => {
  const token = { accessToken: 't1', tokenType: 'Bearer' as const, expiresAt: 10_000 };

  it('forgets entries after their TTL and deletes by compare', async () => {
    let now = 0;
    const store = new MemoryTokenStore(() => now);
    await store.set('k', token, 1_000);
    expect(await store.get('k')).toBe(token);
    await store.delete('k', 'other');
    expect(await store.get('k')).toBe(token);
    now = 1_000;
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', token, 1_000);
    await store.delete('k', 't1');
    expect(await store.get('k')).toBeUndefined();
  });

  it('grants one lock at a time until released or expired', async () => {
    let now = 0;
    const store = new MemoryTokenStore(() => now);
    const held = await store.lock('k', 1_000);
    expect(held).toBeDefined();
    expect(await store.lock('k', 1_000)).toBeUndefined();
    await held?.release();
    const again = await store.lock('k', 1_000);
    expect(again).toBeDefined();
    now = 1_000;
    expect(await store.lock('k', 1_000)).toBeDefined();
    await again?.release(); // a stale holder's release does not free the new lock
    expect(await store.lock('k', 1_000)).toBeUndefined();
  });
});
