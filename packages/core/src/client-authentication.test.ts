import { createAuthServer, createManualClock } from '@grantkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ClientCredentialsOptions, clientCredentials, OAuthError } from './index.js';

// Keycloak before 20 takes `client_id:client_secret` from the Basic header as it is; Keycloak 20+ (and RFC
// 6749 §2.3.1) form-urldecodes both first. A secret with + % / = works on only one of them.
const SECRET = 'p+q%r/s=t';
const auth = await createAuthServer({
  realms: { demo: { clients: { svc: { secret: SECRET, lifetimeSeconds: 60 } } } },
});
// A clock per test: sources with identical configurations share their token per clock (per process).
let clock = createManualClock(1_700_000_000_000);

beforeEach(() => {
  clock = createManualClock(1_700_000_000_000);
  auth.reset();
  auth.basicDecoding = 'rfc6749';
  auth.setClientSecret('svc', SECRET);
});

const source = (options: Partial<ClientCredentialsOptions> = {}) =>
  clientCredentials({
    tokenUrl: auth.tokenUrl('http://localhost', 'demo'),
    clientId: 'svc',
    clientSecret: SECRET,
    fetch: auth.fetch,
    allowInsecureRequests: true,
    clock,
    retry: { attempts: 1 },
    ...options,
  });

const refusal = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e) => e,
  );

describe('Basic encodings of Keycloak before and after 20', () => {
  it('a server that does not form-urldecode and a secret p+q%r/s=t: a token in 2 requests, then 1 per refresh', async () => {
    auth.basicDecoding = 'raw';
    const tokens = source();
    const first = await tokens.getToken();
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([401, 200]);
    for (let refresh = 1; refresh <= 3; refresh += 1) {
      clock.advance(60_000);
      expect((await tokens.getToken()).accessToken).not.toBe(first.accessToken);
      expect(auth.tokenRequests).toBe(2 + refresh);
    }
    expect(auth.requestLog.slice(2).every((entry) => entry.status === 200)).toBe(true);
  });

  it('a server that decodes per RFC 6749 gets the RFC encoding first: one request', async () => {
    await source().getToken();
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([200]);
  });

  it('a 400 invalid_client refusal falls back too', async () => {
    auth.basicDecoding = 'raw';
    auth.unknownClientStyle = '400-invalid_client';
    await source().getToken();
    auth.unknownClientStyle = '401-unauthorized_client';
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([400, 200]);
  });

  it.each([
    ['raw', 'rfc6749'],
    ['rfc6749', 'raw'],
  ] as const)(
    'basicEncoding: %s is pinned: a server decoding %s refuses it once, with no fallback',
    async (pinned, server) => {
      auth.basicDecoding = server === 'raw' ? 'raw' : 'rfc6749';
      const error = await refusal(source({ basicEncoding: pinned }).getToken());
      expect(error).toBeInstanceOf(OAuthError);
      expect(auth.tokenRequests).toBe(1);
    },
  );

  it('a pinned encoding that matches the server works in one request', async () => {
    auth.basicDecoding = 'raw';
    await source({ basicEncoding: 'raw' }).getToken();
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([200]);
  });

  it('a wrong secret whose two encodings are the same is refused after one request', async () => {
    const error = await refusal(source({ clientSecret: 'wrong0' }).getToken());
    expect((error as OAuthError).error).toBe('unauthorized_client');
    expect(auth.tokenRequests).toBe(1);
  });

  it('a wrong secret with + in it costs two requests per acquisition, never more', async () => {
    const error = await refusal(source({ clientSecret: 'wrong+1' }).getToken());
    expect((error as OAuthError).error).toBe('unauthorized_client');
    expect(auth.tokenRequests).toBe(2);
  });

  it('a wrong secret with a stray % on a Keycloak 20+ server: the refusal is reported, not the malformed-header answer to the retry', async () => {
    // The raw retry sends `%zz`, which a form-urldecoding server cannot decode: 400 invalid_request.
    const error = await refusal(source({ clientSecret: 'wrong%zz' }).getToken());
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([401, 400]);
    expect([(error as OAuthError).error, (error as OAuthError).endpointStatus]).toEqual([
      'unauthorized_client',
      401,
    ]);
  });

  // The fake answers one request as it is configured, then is reconfigured before the next one.
  const thenServer = (change: () => void): typeof fetch => {
    let answered = 0;
    return async (input, init) => {
      const response = await auth.fetch(input, init);
      answered += 1;
      if (answered === 1) change();
      return response;
    };
  };

  it('both encodings refused by a Keycloak 19 server: the refusal of the RFC encoding is reported', async () => {
    auth.basicDecoding = 'raw';
    const tokens = source({
      clientSecret: 'wrong+1',
      fetch: thenServer(() => {
        auth.unknownClientStyle = '400-invalid_client';
      }),
    });
    const error = await refusal(tokens.getToken());
    auth.unknownClientStyle = '401-unauthorized_client';
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([401, 400]);
    expect([(error as OAuthError).error, (error as OAuthError).endpointStatus]).toEqual([
      'unauthorized_client',
      401,
    ]);
  });

  it('a retry with the other encoding that meets a 503 reports the 503: it says nothing about the credentials', async () => {
    auth.basicDecoding = 'raw';
    const tokens = source({ clientSecret: 'wrong+1', fetch: thenServer(() => auth.faults.fail(1)) });
    const error = await refusal(tokens.getToken());
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([401, 503]);
    expect((error as OAuthError).endpointStatus).toBe(503);
  });

  it('client_secret_post has no encoding to fall back on', async () => {
    auth.basicDecoding = 'raw';
    await source({ clientAuth: 'client_secret_post' }).getToken();
    expect(auth.requestLog.map((entry) => [entry.auth, entry.status])).toEqual([['post', 200]]);
  });
});

describe('rotating secrets', () => {
  it('a secret function that starts returning the rotated secret: the next request recovers, no restart', async () => {
    let current = SECRET;
    let reads = 0;
    const tokens = source({
      clientSecret: async () => {
        reads += 1;
        return current;
      },
    });
    const first = await tokens.getToken();
    auth.setClientSecret('svc', 'rotated-2');
    current = 'rotated-2';
    clock.advance(60_000);
    expect((await tokens.getToken()).accessToken).not.toBe(first.accessToken);
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([200, 200]);
    expect(reads).toBeGreaterThanOrEqual(2);
  });

  it('a refusal reads the secret once more and retries once with the new value', async () => {
    // A secret manager that lags: it hands out the new secret only once the server has refused the old one.
    const lagging = (): string => (auth.requestLog.at(-1)?.status === 401 ? 'rotated-3' : SECRET);
    const tokens = source({ clientSecret: lagging });
    await tokens.getToken();
    auth.setClientSecret('svc', 'rotated-3');
    tokens.invalidate();
    expect((await tokens.getToken()).tokenType).toBe('Bearer');
    expect(auth.requestLog.map((entry) => entry.status)).toEqual([200, 401, 200]);
  });

  it('a secret still wrong after the re-read fails after that one retry', async () => {
    let reads = 0;
    const tokens = source({ clientSecret: () => `wrong${reads++}` });
    const error = await refusal(tokens.getToken());
    expect(error).toBeInstanceOf(OAuthError);
    expect(auth.tokenRequests).toBe(2);
  });

  it('a secret function that throws or returns nothing is a configuration error, and no request is made', async () => {
    for (const clientSecret of [
      () => {
        throw new Error('vault sealed');
      },
      () => '',
    ]) {
      const error = await refusal(source({ clientSecret }).getToken());
      expect(error).toMatchObject({ code: 'GRANTKIT_CONFIGURATION' });
    }
    expect(auth.tokenRequests).toBe(0);
  });
});
