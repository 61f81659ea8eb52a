import { createAuthServer } from '@grantkit/testing';
import { describe, expect, it } from 'vitest';
import { cacheKey, clientCredentials, isGrantkitError, MemoryTokenStore } from './index.js';

describe('cache keys', () => {
  it('differ by token URL, client id, every parameter and the secret, and carry no secret', async () => {
    const keys = await Promise.all([
      cacheKey('https://a/token', 'svc', {}, 's1'),
      cacheKey('https://b/token', 'svc', {}, 's1'),
      cacheKey('https://a/token', 'other', {}, 's1'),
      cacheKey('https://a/token', 'svc', { scope: 'read' }, 's1'),
      cacheKey('https://a/token', 'svc', { audience: 'read' }, 's1'),
      cacheKey('https://a/token', 'svc', { resource: 'urn:x' }, 's1'),
      cacheKey('https://a/token', 'svc', {}, 's2'),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^grantkit:v2:[0-9a-f]{64}$/);
    expect(await cacheKey('https://a/token', 'svc', { b: '2', a: '1' }, 's1')).toBe(
      await cacheKey('https://a/token', 'svc', { a: '1', b: '2' }, 's1'),
    );
  });

  it('two sources with the same client id and different secrets never share a token in one store', async () => {
    const auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 'right' } } } } });
    const store = new MemoryTokenStore();
    const source = (clientSecret: string) =>
      clientCredentials({
        tokenUrl: auth.tokenUrl('http://localhost', 'demo'),
        clientId: 'svc',
        clientSecret,
        store,
        fetch: auth.fetch,
        allowInsecureRequests: true,
      });
    expect((await source('right').getToken()).tokenType).toBe('Bearer');
    const wrong = await source('wrong')
      .getToken()
      .catch((error: unknown) => error);
    expect(isGrantkitError(wrong) && wrong.code).toBe('GRANTKIT_OAUTH_ERROR');
    expect(auth.tokenRequests).toBe(2); // the wrong secret is refused: it found no token under its key
  });
});
