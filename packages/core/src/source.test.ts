import { describe, expect, it } from 'vitest';
import { isGrantkitError, MemoryTokenStore, OAuthError } from './index.js';
import { eventually, outcome, SECRET, settle, useAuthServer } from './test/fixture.js';

const f = useAuthServer();

describe('single flight', () => {
  it('1,000 concurrent cold callers cause exactly one token request and all get the same token', async () => {
    const source = f.source();
    const tokens = await Promise.all(
      Array.from({ length: 1_000 }, () => outcome(source.getToken())).map((r) =>
        r.then(({ value }) => value),
      ),
    );
    expect(f.auth.tokenRequests).toBe(1);
    expect(new Set(tokens.map((t) => t?.accessToken)).size).toBe(1);
    expect(tokens[0]).toMatchObject({ tokenType: 'Bearer', scope: 'read write' });
    expect(tokens[0]?.expiresAt).toBe(f.clock.now() + 3_600_000);
  });

  it('1,000 concurrent callers at expiry cause exactly one more token request', async () => {
    const source = f.source();
    const first = await source.getToken();
    f.clock.advance(3_600_000);
    const tokens = await Promise.all(Array.from({ length: 1_000 }, () => source.getToken()));
    expect(f.auth.tokenRequests).toBe(2);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set([tokens[0]?.accessToken]));
    expect(tokens[0]?.accessToken).not.toBe(first.accessToken);
  });
});

describe('the token object', () => {
  it('shows everything but the token when logged or serialised', async () => {
    const token = await f.source().getToken();
    const { inspect } = await import('node:util');
    for (const view of [JSON.stringify(token), inspect(token, { showHidden: true }), String(token)]) {
      expect(view).not.toContain(token.accessToken);
    }
    expect(JSON.parse(JSON.stringify(token))).toMatchObject({
      accessToken: '[redacted]',
      tokenType: 'Bearer',
    });
    expect({ ...token }.accessToken).toBe(token.accessToken);
  });
});

describe('expiry', () => {
  it('never returns a token after expiresAt - skew, and takes expiry from expires_in, not the JWT', async () => {
    const source = f.source({ expirySkewMs: 30_000, refreshAheadMs: 0 });
    const first = await source.getToken();
    f.clock.advance(3_600_000 - 30_001);
    expect(await source.getToken()).toBe(first);
    f.clock.advance(1);
    const second = await source.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('keeps at least a second in hand for short tokens, as servers round exp to whole seconds', async () => {
    f.auth.setLifetime('svc', 4);
    const source = f.source({ refreshAheadMs: 0 });
    const first = await source.getToken();
    f.clock.advance(4_000 - 1_001);
    expect(await source.getToken()).toBe(first);
    f.clock.advance(1);
    expect((await source.getToken()).accessToken).not.toBe(first.accessToken);
  });

  it.each([
    ['missing (the JWT says exp - iat)', undefined, 3_600_000],
    ['not a number', 'abc', 300_000],
    ['negative', -5, 300_000],
    ['null (the JWT says exp - iat)', null, 3_600_000],
    ['zero', 0, 300_000],
    ['a numeric string', '120', 120_000],
    ['huge', 1e12, 86_400_000],
  ])('turns an expires_in that is %s into a finite lifetime', async (_name, expiresIn, lifetime) => {
    f.auth.faults.malformed(1, { expires_in: expiresIn });
    const source = f.source();
    const token = await source.getToken();
    expect(Number.isFinite(token.expiresAt)).toBe(true);
    expect(token.expiresAt - f.clock.now()).toBe(lifetime);
    expect(await source.getToken()).toBe(token); // cached
  });

  it.each([
    [60, 'a 60 s production token'],
    [4, 'a 4 s test token'],
  ])('caches and refreshes ahead %i s tokens (%s)', async (seconds) => {
    f.auth.setLifetime('svc', seconds);
    const source = f.source({ random: () => 0 });
    const first = await source.getToken();
    expect(await source.getToken()).toBe(first);
    expect(f.auth.tokenRequests).toBe(1);
    const { refreshAt, expiresAt } = source.state;
    expect(refreshAt).toBeLessThan(expiresAt ?? 0);
    expect(refreshAt).toBeGreaterThan(f.clock.now());
    f.clock.set(refreshAt ?? 0);
    // In the window: the current token at once, one background request.
    expect(await source.getToken()).toBe(first);
    expect(source.state.status).toBe('refreshing');
    expect(await source.getToken()).toBe(first);
    await eventually(() => source.state.status === 'valid');
    expect(f.auth.tokenRequests).toBe(2);
    expect((await source.getToken()).accessToken).not.toBe(first.accessToken);
  });

  it('jitters the refresh point so a fleet does not refresh together', async () => {
    const a = f.source({ random: () => 0 });
    const b = f.source({ random: () => 0.99 });
    await Promise.all([a.getToken(), b.getToken()]);
    // A 3600 s token: a 300 s window, jittered over its first half.
    expect((b.state.refreshAt ?? 0) - (a.state.refreshAt ?? 0)).toBe(148_500);
  });
});

describe('refresh-ahead and outages', () => {
  it('hands the background refresh to waitUntil, and no caller waits for it', async () => {
    const handed: Promise<unknown>[] = [];
    const source = f.source({ waitUntil: (p) => handed.push(p), random: () => 0 });
    const first = await source.getToken();
    expect(handed).toHaveLength(1); // the cold request's store write and lock release go there too
    await handed[0];
    handed.length = 0;
    f.auth.faults.latency(100);
    f.clock.set(source.state.refreshAt ?? 0);
    const during = await Promise.race([source.getToken(), settle(20).then(() => 'waited')]);
    expect(during).toBe(first);
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(source.state.status).toBe('valid');
  });

  it('keeps serving the valid token through an outage, with at most one request per backoff step', async () => {
    const source = f.source({
      random: () => 1 - Number.EPSILON,
      retry: { baseDelayMs: 500, maxDelayMs: 4_000 },
    });
    const first = await source.getToken();
    f.clock.set((source.state.refreshAt ?? 0) - 1);
    f.auth.faults.fail(1_000_000, { status: 503 });
    // 1,000 calls/s for 10 s of injected time, in 100 ms ticks of 100 calls.
    let served = 0;
    for (let tick = 0; tick < 100; tick++) {
      f.clock.advance(100);
      const tokens = await Promise.all(Array.from({ length: 100 }, () => source.getToken()));
      served += tokens.filter((t) => t === first).length;
      await eventually(() => source.state.status !== 'refreshing'); // let a background request fail
    }
    expect(served).toBe(10_000);
    // Backoff 500, 1000, 2000, 4000, 4000, ... ms: over 10 s at most 6 requests (1 + one per step).
    const requests = f.auth.tokenRequests - 1;
    expect(requests).toBeGreaterThanOrEqual(3);
    expect(requests).toBeLessThanOrEqual(6);
    expect(source.state).toMatchObject({ status: 'backoff', lastError: 'GRANTKIT_OAUTH_ERROR' });
    const times = f.events
      .filter((e) => e.type === 'token-request')
      .map((e) => e.at)
      .slice(1);
    const retryAts = f.events.flatMap((e) => (e.type === 'token-error' ? [e.retryAt] : []));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(retryAts[i - 1] ?? 0);
  });

  it('fails fast once the token has really expired during an outage, then recovers', async () => {
    f.auth.setLifetime('svc', 60);
    const source = f.source({ retry: { baseDelayMs: 120_000, maxDelayMs: 120_000 }, random: () => 0.99 });
    await source.getToken();
    f.auth.faults.fail(1_000, {
      status: 500,
      body: '<html>Internal Server Error</html>',
      contentType: 'text/html',
    });
    f.clock.set(source.state.refreshAt ?? 0);
    await source.getToken();
    await eventually(() => source.state.status === 'backoff');
    f.clock.advance(60_000);
    const before = f.auth.tokenRequests;
    const failed = await outcome(source.getToken());
    expect(failed.error).toMatchObject({
      code: 'GRANTKIT_INVALID_RESPONSE',
      endpointStatus: 500,
      retryable: true,
    });
    expect(f.auth.tokenRequests).toBe(before); // fail fast: no request during the backoff
    f.auth.faults.clear();
    f.clock.advance(120_000);
    expect((await source.getToken()).accessToken).toBeTruthy();
  });

  it('honours Retry-After (capped by maxDelayMs)', async () => {
    f.auth.faults.fail(10, { status: 429, retryAfter: 7 });
    const source = f.source({ retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 60_000 } });
    const failed = await outcome(source.getToken());
    expect(failed.error).toMatchObject({ endpointStatus: 429, retryAfterMs: 7_000, retryable: true });
    expect(source.state.retryAt).toBe(f.clock.now() + 7_000);
  });

  it('retries a retryable cold failure after the backoff, with the waiters still waiting', async () => {
    f.auth.faults.fail(2, { status: 503 });
    const source = f.source({ random: () => 0.5 });
    const waiting = Promise.all(Array.from({ length: 10 }, () => source.getToken()));
    await eventually(() => source.state.status === 'backoff');
    expect(f.auth.tokenRequests).toBe(1);
    f.clock.advance(1_000);
    await eventually(() => source.state.failures === 2);
    f.clock.advance(1_000);
    const tokens = await waiting;
    expect(f.auth.tokenRequests).toBe(3);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it.each([
    ['401-unauthorized_client', 'unauthorized_client', 401],
    ['400-invalid_client', 'invalid_client', 400],
  ] as const)('never retries bad credentials answered %s', async (style, error, status) => {
    f.auth.unknownClientStyle = style;
    const source = f.source({ clientSecret: 'wrong' });
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(source.getToken())));
    expect(f.auth.tokenRequests).toBe(1);
    for (const r of results) {
      expect(r.error).toBeInstanceOf(OAuthError);
      expect(r.error).toMatchObject({
        code: 'GRANTKIT_OAUTH_ERROR',
        error,
        endpointStatus: status,
        retryable: false,
      });
    }
    // Callers in the backoff fail fast too: the endpoint is not hammered.
    await outcome(source.getToken());
    expect(f.auth.tokenRequests).toBe(1);
    f.auth.unknownClientStyle = '401-unauthorized_client';
  });

  it('never retries invalid_scope, even when a server sends it with a 5xx', async () => {
    f.auth.faults.fail(5, { status: 503, body: { error: 'invalid_scope' } });
    const failed = await outcome(f.source().getToken());
    expect(failed.error).toMatchObject({ error: 'invalid_scope', endpointStatus: 503, retryable: false });
    expect(f.auth.tokenRequests).toBe(1);
  });

  it.each([
    ['html', 'GRANTKIT_INVALID_RESPONSE', true],
    ['not-json', 'GRANTKIT_INVALID_RESPONSE', true],
    ['missing-access-token', 'GRANTKIT_INVALID_RESPONSE', true],
    ['wrong-token-type', 'GRANTKIT_INVALID_RESPONSE', false],
  ] as const)('types an unusable %s response', async (kind, code, retryable) => {
    f.auth.faults.malformed(1, kind);
    const failed = await outcome(f.source({ retry: { attempts: 1 } }).getToken());
    expect(failed.error).toMatchObject({ code, retryable });
  });
});

describe('failures, aborts and timeouts', () => {
  it('a failed acquisition rejects all its waiters and clears the in-flight slot', async () => {
    f.auth.faults.drop(1);
    const source = f.source({ retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => outcome(source.getToken())));
    for (const r of results)
      expect(r.error).toMatchObject({ code: 'GRANTKIT_NETWORK_ERROR', retryable: true });
    expect((await source.getToken()).accessToken).toBeTruthy();
    expect(f.auth.tokenRequests).toBe(2);
  });

  it("a caller's AbortSignal abandons only its own wait", async () => {
    f.auth.faults.latency(50);
    const source = f.source();
    const controller = new AbortController();
    const aborted = outcome(source.getToken({ signal: controller.signal }));
    const patient = source.getToken();
    controller.abort(new Error('caller gave up'));
    expect((await aborted).error).toMatchObject({ message: 'caller gave up' });
    expect((await patient).accessToken).toBeTruthy();
    expect(f.auth.tokenRequests).toBe(1);
    await expect(source.getToken({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('times a request out after timeoutMs', async () => {
    f.auth.faults.hang(1);
    const source = f.source({ timeoutMs: 100, retry: { attempts: 1 } });
    expect((await outcome(source.getToken())).error).toMatchObject({
      code: 'GRANTKIT_TIMEOUT',
      retryable: true,
    });
    f.auth.faults.clear();
  });

  it('reports a closed port as a retryable network error', async () => {
    const source = f.source({ tokenUrl: 'http://127.0.0.1:9/token', retry: { attempts: 1 } });
    expect((await outcome(source.getToken())).error).toMatchObject({
      code: 'GRANTKIT_NETWORK_ERROR',
      retryable: true,
    });
  });

  it('starts a fresh request when the one its callers wait on is lost (a cancelled Workers request)', async () => {
    let calls = 0;
    const source = f.source({
      timeoutMs: 1_000,
      // The first request's context is gone: it never settles, whatever its signal does.
      fetch: (input, init) => (++calls === 1 ? new Promise<Response>(() => {}) : fetch(input, init)),
    });
    const waiting = source.getToken();
    await eventually(() => calls === 1);
    f.clock.advance(2_000); // timeoutMs + 1 s grace: the waiter's own watchdog fires
    expect((await waiting).accessToken).toBeTruthy();
    expect(calls).toBe(2);
  });
});

describe('invalidate', () => {
  it('drops the cache only if that token is still current (compare-and-invalidate)', async () => {
    const source = f.source();
    const first = await source.getToken();
    source.invalidate('some-older-token');
    expect(await source.getToken()).toBe(first);
    // 100 callers saw the same token rejected: one new request.
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => {
        source.invalidate(first.accessToken);
        return source.getToken();
      }),
    );
    expect(f.auth.tokenRequests).toBe(2);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(tokens[0]?.accessToken).not.toBe(first.accessToken);
  });

  it('forceRefresh waits for a new token and joins a request in flight', async () => {
    const source = f.source();
    const first = await source.getToken();
    const [a, b] = await Promise.all([
      source.getToken({ forceRefresh: true }),
      source.getToken({ forceRefresh: true }),
    ]);
    expect(a).toBe(b);
    expect(a.accessToken).not.toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });
});

describe('cache keys and stores', () => {
  it('shares a token only between identical configurations', async () => {
    const store = new MemoryTokenStore(() => f.clock.now());
    const a = await f.source({ store, scope: 'read' }).getToken();
    const b = await f.source({ store, scope: 'read' }).getToken();
    const c = await f.source({ store, scope: 'write' }).getToken();
    const d = await f.source({ store, scope: 'read', audience: 'other' }).getToken();
    expect(b.accessToken).toBe(a.accessToken);
    expect(c.accessToken).not.toBe(a.accessToken);
    expect(d.accessToken).not.toBe(a.accessToken);
    expect(f.auth.tokenRequests).toBe(3);
  });

  it('two sources built with identical configurations and one store make one token request between them', async () => {
    const store = new MemoryTokenStore(() => f.clock.now());
    const [a, b] = [f.source({ scope: 'read', store }), f.source({ scope: 'read', store })];
    const tokens = await Promise.all([a.getToken(), b.getToken(), a.getToken(), b.getToken()]);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(f.auth.tokenRequests).toBe(1);
    const c = f.source({ scope: 'read', store }); // built later: takes the token from the store
    expect((await c.getToken()).accessToken).toBe(tokens[0]?.accessToken);
    expect(f.auth.tokenRequests).toBe(1);
  });

  it('shares a stored token only when the secret is the same too', async () => {
    const store = new MemoryTokenStore(() => f.clock.now());
    const a = await f.source({ store }).getToken();
    const wrong = await outcome(f.source({ store, clientSecret: `${SECRET}2` }).getToken());
    expect(wrong.error).toMatchObject({ code: 'GRANTKIT_OAUTH_ERROR' }); // asked the server, got no token
    const requests = f.auth.tokenRequests;
    expect(requests).toBeGreaterThan(1);
    expect((await f.source({ store }).getToken()).accessToken).toBe(a.accessToken);
    expect(f.auth.tokenRequests).toBe(requests);
  });

  it('forgets expired tokens of sources long gone, so a service cycling through tenants stays bounded', async () => {
    const store = new MemoryTokenStore(() => f.clock.now());
    const token = { accessToken: 't', tokenType: 'Bearer' as const, expiresAt: f.clock.now() + 1_000 };
    for (let i = 0; i < 1_000; i++) await store.set(`tenant-${i}`, token, 1_000);
    expect(store.size).toBe(1_000);
    f.clock.advance(1_000); // every one of them expired, and nobody reads them again
    for (let i = 0; i < 2_000; i++) await store.set(`new-${i}`, token, 60_000);
    expect(store.size).toBe(2_000);
  });

  it('says when a token came from the store rather than a request', async () => {
    const store = new MemoryTokenStore(() => f.clock.now());
    await f.source({ store }).getToken();
    await f.source({ store }).getToken();
    const responses = f.events.flatMap((e) => (e.type === 'token-response' ? [e.fromStore] : []));
    expect(responses).toEqual([false, true]);
    expect(f.auth.tokenRequests).toBe(1);
  });

  it('keeps working when the store fails, and says so', async () => {
    const broken = {
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
    };
    const source = f.source({ store: broken });
    expect((await source.getToken()).accessToken).toBeTruthy();
    expect(f.events.some((e) => e.type === 'store-error')).toBe(true);
  });
});

describe('client authentication', () => {
  it('sends the secret with Basic and RFC 6749 §2.3.1 encoding by default, or in the body when asked', async () => {
    await f.source().getToken();
    await f.source({ clientAuth: 'client_secret_post', scope: 'read' }).getToken();
    expect(f.auth.requestLog.map((r) => [r.auth, r.status])).toEqual([
      ['basic', 200],
      ['post', 200],
    ]);
  });

  it('works on the pre-17 /auth path', async () => {
    const tokenUrl = f.auth.tokenUrl(f.url, 'demo', { legacyAuthPrefix: true });
    expect(tokenUrl).toContain('/auth/realms/demo/');
    expect((await f.source({ tokenUrl }).getToken()).accessToken).toBeTruthy();
  });

  it('discovers the token endpoint from a Keycloak issuer', async () => {
    const source = f.source({ tokenUrl: undefined, issuer: f.auth.issuer(f.url, 'demo') });
    expect((await source.getToken()).accessToken).toBeTruthy();
  });

  it('uses the secret it was given: a wrong one is refused by the server and fails typed', async () => {
    const failed = await outcome(f.source({ clientSecret: `${SECRET}!` }).getToken());
    expect(isGrantkitError(failed.error)).toBe(true);
    // Refused by the server (an OAuth error answer, not retried), not lost on the way.
    expect(failed.error).toMatchObject({ code: 'GRANTKIT_OAUTH_ERROR', retryable: false });
    expect(f.auth.requestLog.length).toBeGreaterThan(0);
    expect(f.auth.requestLog.every((r) => r.status >= 400 && r.status < 500)).toBe(true);
  });
});
