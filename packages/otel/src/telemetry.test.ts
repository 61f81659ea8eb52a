import { MemoryTokenStore } from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { eventually, useTelemetry } from './test/fixture.js';

const f = useTelemetry();

const server = () => ({ 'server.address': '127.0.0.1', 'server.port': f.authPort });

describe('a cold start', () => {
  it('is one CLIENT span with the token endpoint, the grant and the client authentication', async () => {
    await f.source().getToken();
    const [span, ...more] = f.spans();
    expect(more).toHaveLength(0);
    expect(span?.name).toBe('grantkit.token_request');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.instrumentationScope.name).toBe('@grantkit/otel');
    expect(span?.attributes).toEqual({
      ...server(),
      'oauth2.grant_type': 'client_credentials',
      'oauth2.client_auth_method': 'client_secret_basic',
      'grantkit.background': false,
      'grantkit.attempt': 1,
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it('counts one successful request, its duration in seconds, and the time to expiry', async () => {
    const source = f.source({ clientAuth: 'client_secret_post' });
    await source.getToken();
    expect(await f.points('grantkit.token.requests')).toEqual([
      { attributes: { ...server(), outcome: 'success' }, value: 1 },
    ]);
    const [duration] = await f.points('grantkit.token.request.duration');
    expect(duration).toEqual({ attributes: { ...server(), outcome: 'success' }, value: 1 });
    expect(f.spans()[0]?.attributes['oauth2.client_auth_method']).toBe('client_secret_post');
    expect(await f.points('grantkit.token.time_to_expiry')).toEqual([{ attributes: {}, value: 3_600 }]);
    f.clock.advance(600_000);
    expect(await f.points('grantkit.token.time_to_expiry')).toEqual([{ attributes: {}, value: 3_000 }]);
  });

  it('costs a cache hit nothing: no event, no span, no metric', async () => {
    const events: string[] = [];
    const source = f.source({}, { onEvent: (event) => events.push(event.type) });
    await source.getToken();
    const seen = events.length;
    for (let i = 0; i < 100; i++) await source.getToken();
    expect(events).toHaveLength(seen);
    expect(f.spans()).toHaveLength(1);
    expect(await f.points('grantkit.token.requests')).toMatchObject([{ value: 1 }]);
  });
});

describe('refresh-ahead', () => {
  it('is a background span in a trace of its own, linked to the call that triggered it', async () => {
    const source = f.source({ random: () => 0 });
    const first = await source.getToken();
    f.clock.set(source.state.refreshAt ?? 0);
    const tracer = f.tracerProvider.getTracer('app');
    const caller = await tracer.startActiveSpan('GET /sessions', async (span) => {
      expect(await source.getToken()).toBe(first); // served at once
      span.end();
      return span.spanContext();
    });
    await eventually(() => f.spans().filter((s) => s.name === 'grantkit.token_request').length === 2);
    const refresh = f.spans().find((s) => s.attributes['grantkit.background'] === true);
    expect(refresh?.attributes).toMatchObject({ ...server(), 'grantkit.attempt': 1 });
    expect(refresh?.parentSpanContext).toBeUndefined();
    expect(refresh?.spanContext().traceId).not.toBe(caller.traceId);
    expect(refresh?.links.map((link) => link.context.spanId)).toEqual([caller.spanId]);
    expect(await f.points('grantkit.token.requests')).toEqual([
      { attributes: { ...server(), outcome: 'success' }, value: 2 },
    ]);
    // The new token is the one held now: a full lifetime ahead of the refresh time.
    expect(await f.points('grantkit.token.time_to_expiry')).toEqual([{ attributes: {}, value: 3_600 }]);
  });
});

describe('an outage', () => {
  it('is one ERROR span per attempt, each numbered, all under the waiting caller, until the token comes', async () => {
    f.auth.faults.fail(2, { status: 503 });
    const source = f.source({ random: () => 0.5 });
    const tracer = f.tracerProvider.getTracer('app');
    const call = tracer.startActiveSpan('job', async (span) => {
      await source.getToken();
      span.end();
      return span.spanContext();
    });
    await eventually(() => source.state.status === 'backoff');
    f.clock.advance(1_000);
    await eventually(() => source.state.failures === 2);
    f.clock.advance(1_000);
    const caller = await call;
    const attempts = f.spans().filter((s) => s.name === 'grantkit.token_request');
    expect(attempts.map((s) => s.attributes['grantkit.attempt'])).toEqual([1, 2, 3]);
    expect(attempts.map((s) => s.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    for (const failed of attempts.slice(0, 2)) {
      expect(failed.attributes).toMatchObject({
        'error.type': 'GRANTKIT_OAUTH_ERROR',
        'oauth2.error': 'temporarily_unavailable',
        'http.response.status_code': 503,
      });
    }
    expect(attempts[2]?.attributes).not.toHaveProperty('error.type');
    for (const attempt of attempts) expect(attempt.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(await f.points('grantkit.token.requests')).toEqual([
      { attributes: { ...server(), outcome: 'failure', 'error.type': 'GRANTKIT_OAUTH_ERROR' }, value: 2 },
      { attributes: { ...server(), outcome: 'success' }, value: 1 },
    ]);
  });

  it('during refresh-ahead is background ERROR spans with backoff, while the held token is still reported', async () => {
    const source = f.source({ random: () => 0.5, retry: { baseDelayMs: 1_000, maxDelayMs: 1_000 } });
    await source.getToken();
    f.auth.faults.fail(100, { status: 503 });
    f.clock.set(source.state.refreshAt ?? 0);
    await source.getToken();
    await eventually(() => source.state.status === 'backoff');
    await source.getToken(); // before retryAt: no request
    f.clock.advance(1_000);
    await source.getToken();
    await eventually(() => source.state.failures === 2);
    const refreshes = f.spans().filter((s) => s.attributes['grantkit.background'] === true);
    expect(refreshes.map((s) => [s.attributes['grantkit.attempt'], s.status.code])).toEqual([
      [1, SpanStatusCode.ERROR],
      [2, SpanStatusCode.ERROR],
    ]);
    const [ttl] = await f.points('grantkit.token.time_to_expiry');
    expect(ttl?.value).toBeGreaterThan(0);
  });
});

describe('bad client credentials', () => {
  it.each([
    ['400-invalid_client', 'invalid_client', 400],
    ['401-unauthorized_client', 'unauthorized_client', 401],
  ] as const)(
    'answered %s are one ERROR span with the OAuth error, never retried',
    async (style, error, status) => {
      f.auth.unknownClientStyle = style;
      const source = f.source({ clientSecret: 'wrong-secret' });
      await expect(source.getToken()).rejects.toMatchObject({ error });
      const [span, ...more] = f.spans();
      expect(more).toHaveLength(0);
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes).toMatchObject({
        'error.type': 'GRANTKIT_OAUTH_ERROR',
        'oauth2.error': error,
        'http.response.status_code': status,
      });
      expect(await f.points('grantkit.token.requests')).toEqual([
        { attributes: { ...server(), outcome: 'failure', 'error.type': 'GRANTKIT_OAUTH_ERROR' }, value: 1 },
      ]);
      expect(await f.points('grantkit.token.time_to_expiry')).toEqual([]);
    },
  );
});

describe('a 401 replay through authFetch', () => {
  it('counts the invalidation, and the new token request is a child of the caller', async () => {
    const source = f.source();
    const api = authFetch(source, { origins: [f.apiUrl] });
    const { accessToken } = await source.getToken();
    f.auth.revoke(accessToken);
    const tracer = f.tracerProvider.getTracer('app');
    const caller = await tracer.startActiveSpan('GET /coaching', async (span) => {
      const response = await api(`${f.apiUrl}/echo/coaching`);
      expect(response.status).toBe(200);
      span.end();
      return span.spanContext();
    });
    expect(f.api.requestLog.map((entry) => entry.status)).toEqual([401, 200]);
    expect(await f.points('grantkit.token.invalidations')).toEqual([{ attributes: {}, value: 1 }]);
    const [, replay] = f.spans().filter((s) => s.name === 'grantkit.token_request');
    expect(replay?.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(replay?.attributes['grantkit.background']).toBe(false);
  });

  it('counts an explicit invalidation, and only one that dropped the token', async () => {
    const source = f.source();
    const { accessToken } = await source.getToken();
    source.invalidate('an-older-token');
    source.invalidate(accessToken);
    source.invalidate(accessToken);
    expect(await f.points('grantkit.token.invalidations')).toEqual([{ attributes: {}, value: 1 }]);
    expect(await f.points('grantkit.token.time_to_expiry')).toEqual([]);
  });
});

describe('a caller span', () => {
  it('parents the foreground token request; a concurrent caller joins it without a request of its own', async () => {
    const source = f.source();
    const tracer = f.tracerProvider.getTracer('app');
    const [first, second] = await Promise.all(
      ['first', 'second'].map((name) =>
        tracer.startActiveSpan(name, async (span) => {
          await source.getToken();
          span.end();
          return span.spanContext();
        }),
      ),
    );
    const requests = f.spans().filter((s) => s.name === 'grantkit.token_request');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.parentSpanContext?.spanId).toBe(first?.spanId);
    expect(requests[0]?.spanContext().traceId).toBe(first?.traceId);
    expect(second?.traceId).not.toBe(first?.traceId);
  });
});

describe('options', () => {
  it('keep your own listener beside the telemetry one, with every event and its source', async () => {
    const seen: string[] = [];
    let from: unknown;
    const source = f.source(
      {},
      {
        onEvent: (event, reporter) => {
          seen.push(event.type);
          from = reporter;
        },
      },
    );
    await source.getToken();
    expect(seen).toEqual(['transition', 'token-request', 'token-response', 'transition']);
    expect(from).toBe(source);
    expect(f.spans()).toHaveLength(1);
  });

  it('add your attributes (a tenant, opted in) and the token URL path everywhere', async () => {
    const source = f.source({}, { attributes: { 'grantkit.tenant': 'acme' }, tokenUrlPath: true });
    await source.getToken();
    source.invalidate();
    const path = new URL(f.tokenUrl).pathname;
    const mine = { 'grantkit.tenant': 'acme' };
    expect(f.spans()[0]?.attributes).toMatchObject({ ...mine, 'url.path': path });
    expect(await f.points('grantkit.token.requests')).toEqual([
      { attributes: { ...mine, ...server(), 'url.path': path, outcome: 'success' }, value: 1 },
    ]);
    expect(await f.points('grantkit.token.invalidations')).toEqual([{ attributes: mine, value: 1 }]);
  });

  it('record no path, tenant or client id by default', async () => {
    await f.source().getToken();
    const everything = JSON.stringify([
      f.spans().map((s) => s.attributes),
      await f.points('grantkit.token.requests'),
      await f.points('grantkit.token.request.duration'),
    ]);
    expect(everything).not.toContain('url.path');
    expect(everything).not.toContain('/realms/');
    expect(everything).not.toContain('acme');
  });

  it('report the soonest expiry across sources that share attributes, and each tenant apart', async () => {
    const listener = { tracerProvider: f.tracerProvider, meterProvider: f.meterProvider, clock: f.clock };
    // A store each: sources with identical configurations would otherwise share a's token (and its expiry).
    const own = () => ({ store: new MemoryTokenStore(() => f.clock.now()) });
    const a = f.source(own(), listener);
    await a.getToken();
    f.clock.advance(1_000_000);
    const b = f.source(own(), listener);
    await b.getToken();
    const c = f.source(own(), { attributes: { 'grantkit.tenant': 'beta' } });
    await c.getToken();
    expect(await f.points('grantkit.token.time_to_expiry')).toEqual([
      { attributes: {}, value: 2_600 },
      { attributes: { 'grantkit.tenant': 'beta' }, value: 3_600 },
    ]);
  });
});
