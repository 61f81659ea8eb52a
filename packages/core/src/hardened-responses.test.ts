import { createAuthServer, createManualClock } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientCredentialsOptions, clientCredentials, isGrantkitError } from './index.js';

const auth = await createAuthServer({
  realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600 } } } },
});
const server = await listen(auth.app);
afterAll(() => server.close());
const clock = createManualClock(1_700_000_000_000);
beforeEach(() => auth.reset());

const source = (options: Partial<ClientCredentialsOptions> = {}) =>
  clientCredentials({
    tokenUrl: auth.tokenUrl('http://localhost', 'demo'),
    clientId: 'svc',
    clientSecret: 's3cret',
    fetch: auth.fetch,
    allowInsecureRequests: true,
    clock,
    retry: { attempts: 1, baseDelayMs: 100, maxDelayMs: 100 },
    ...options,
  });
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e) => e,
  );

describe('an access_token that cannot travel in a header', () => {
  it.each([
    ['CR/LF', 'eyJ.a\r\nX-Injected: 1'],
    ['a space', 'abc def'],
    ['a tab', 'abc\tdef'],
    ['non-ASCII', 'tökén'],
    ['a NUL', 'abc\u0000'],
  ])('with %s is GRANTKIT_INVALID_RESPONSE, never cached or shown', async (_name, accessToken) => {
    auth.faults.malformed(1, { access_token: accessToken, expires_in: 300 });
    const tokens = source();
    const error = await failure(tokens.getToken());
    expect(error).toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(accessToken);
    clock.advance(100);
    const next = await tokens.getToken();
    expect(next.accessToken).not.toBe(accessToken);
    expect(auth.tokenRequests).toBe(2);
  });
});

describe('response size', () => {
  it('a 5 MB token response is a typed error, read no further than the 1 MiB cap', async () => {
    auth.faults.oversized(1, { bytes: 5_000_000 });
    const error = await failure(source().getToken());
    expect(error).toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE', endpointStatus: 200 });
    expect(auth.requestLog[0]?.producedBytes).toBeLessThan(1_048_576 + 3 * 65_536);
  });

  it('a gzip body that expands past the cap fails the same way (over a socket, where fetch decompresses)', async () => {
    auth.faults.oversized(1, { bytes: 20_000_000, gzip: true });
    const error = await failure(
      source({ tokenUrl: auth.tokenUrl(server.url, 'demo'), fetch: undefined }).getToken(),
    );
    expect(error).toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    expect((error as Error).message).toMatch(/larger than 1048576 bytes/);
  });

  it('maxResponseBytes moves the cap', async () => {
    const error = await failure(source({ maxResponseBytes: 100 }).getToken());
    expect(error).toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
    expect((await source({ maxResponseBytes: 100_000 }).getToken()).tokenType).toBe('Bearer');
  });

  it('a discovery document past the cap is a typed error', async () => {
    const padding = 'x'.repeat(5_000_000);
    const discovery = await listen({
      fetch: () =>
        new Response(JSON.stringify({ issuer: 'x', token_endpoint: 'x', padding }), {
          headers: { 'content-type': 'application/json' },
        }),
    });
    try {
      const error = await failure(
        source({ tokenUrl: undefined, issuer: `${discovery.url}/realms/demo`, fetch: undefined }).getToken(),
      );
      expect(error).toMatchObject({ code: 'GRANTKIT_INVALID_RESPONSE' });
      expect((error as Error).message).toMatch(/larger than/);
    } finally {
      await discovery.close();
    }
  });
});

describe('a body that trickles in', () => {
  it.each([
    ['in-process', () => ({})],
    ['over a socket', () => ({ tokenUrl: auth.tokenUrl(server.url, 'demo'), fetch: undefined })],
  ])('past timeoutMs is GRANTKIT_TIMEOUT, not a parse error (%s)', async (_name, where) => {
    auth.faults.trickle(1, 20);
    const error = await failure(source({ timeoutMs: 300, ...where() }).getToken());
    expect(error).toMatchObject({ code: 'GRANTKIT_TIMEOUT', retryable: true });
  });
});

describe('lifetime without expires_in', () => {
  it('a JWT with exp and iat lives exp - iat, whatever the local clock says', async () => {
    auth.faults.malformed(1, { expires_in: undefined });
    const token = await source().getToken();
    expect(token.expiresAt - clock.now()).toBe(3_600_000);
  });

  it('an opaque token falls back to defaultLifetimeMs', async () => {
    auth.faults.malformed(1, { access_token: 'opaque-token-value' });
    const token = await source({ defaultLifetimeMs: 120_000 }).getToken();
    expect(token.expiresAt - clock.now()).toBe(120_000);
  });
});

describe('errors that point at the fix', () => {
  it('a network failure names the token endpoint (origin and path), never its query or the secret', async () => {
    auth.faults.drop(1);
    const tokenUrl = `${auth.tokenUrl(server.url, 'demo')}?tenant=hidden-query`;
    const error = await failure(source({ tokenUrl, fetch: undefined }).getToken());
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_NETWORK_ERROR');
    const message = (error as Error).message;
    expect(message).toContain(auth.tokenUrl(server.url, 'demo'));
    expect(message).not.toContain('hidden-query');
    expect(message).not.toContain('s3cret');
  });

  it('a refused connection names the endpoint too', async () => {
    const closed = await listen({ fetch: () => new Response('') });
    await closed.close();
    const error = await failure(source({ tokenUrl: `${closed.url}/token`, fetch: undefined }).getToken());
    expect(error).toMatchObject({ code: 'GRANTKIT_NETWORK_ERROR' });
    expect((error as Error).message).toContain(`${closed.url}/token`);
  });
});
