import { clientCredentials, sourcePerTenant } from '@grantkit/core';
import { SECRET, useServers } from '@grantkit/test-servers';
import { middlewareRuleSuite } from '@grantkit/test-servers/rule-suite';
import { createManualClock, type EchoResponse } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { grantkit } from './index.js';

const s = useServers();

const echo = async (response: Response): Promise<EchoResponse> => (await response.json()) as EchoResponse;

describe('grantkit middleware', () => {
  it('gives routes a fetch that carries the token to the configured origin, one token request for many', async () => {
    const app = new Hono()
      .use(grantkit({ source: s.source(), origins: [s.apiServer.url] }))
      .get('/things', async (c) =>
        c.json(await (await c.var.grantkit.fetch(`${s.apiServer.url}/echo/x`)).json()),
      );
    for (let i = 0; i < 3; i += 1) {
      const response = await app.request('/things');
      expect(response.status).toBe(200);
      const body = await echo(response);
      expect(body.clientId).toBe('svc');
      expect(body.headers['authorization']).toBe('Bearer <redacted>');
    }
    expect(s.auth.tokenRequestsFor('svc')).toBe(1);
  });

  it('never sends the token to another origin and never overwrites a caller-set Authorization', async () => {
    const other = await listen(s.api.app);
    try {
      const app = new Hono()
        .use(grantkit({ source: s.source(), origins: [s.apiServer.url] }))
        .get('/other', (c) => c.var.grantkit.fetch(`${other.url}/echo`))
        .get('/own', (c) =>
          c.var.grantkit.fetch(`${s.apiServer.url}/echo`, { headers: { authorization: 'Bearer mine' } }),
        );
      expect((await app.request('/other')).status).toBe(401);
      expect((await app.request('/own')).status).toBe(401);
      expect(s.auth.tokenRequests).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('replays a 401 once with a new token when the API rejects the cached one', async () => {
    const source = s.source();
    const app = new Hono()
      .use(grantkit({ source, origins: [s.apiServer.url] }))
      .post('/notes', (c) =>
        c.var.grantkit.fetch(`${s.apiServer.url}/echo`, { method: 'POST', body: JSON.stringify({ a: 1 }) }),
      );
    s.auth.revoke((await source.getToken()).accessToken);
    const response = await app.request('/notes', { method: 'POST' });
    expect(response.status).toBe(200);
    expect((await echo(response)).body).toBe('{"a":1}');
    expect(s.api.unauthorized).toBe(1);
    expect(s.auth.tokenRequests).toBe(2);
  });

  it('hands out the token itself through getToken', async () => {
    const app = new Hono()
      .use(grantkit({ source: s.source(), origins: '*' }))
      .get('/token', async (c) => c.json({ type: (await c.var.grantkit.getToken()).tokenType }));
    expect(await (await app.request('/token')).json()).toEqual({ type: 'Bearer' });
  });

  it('answers a token failure with a 502 problem that carries the code and no secret', async () => {
    const app = new Hono()
      .use(grantkit({ source: s.source('svc', 'wrong-secret'), origins: '*' }))
      .get('/things', (c) => c.var.grantkit.fetch(`${s.apiServer.url}/echo`));
    const response = await app.request('/things');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    const problem = JSON.parse(text);
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway' });
    expect(problem.code).toBe('GRANTKIT_OAUTH_ERROR');
    expect(text).not.toContain('wrong-secret');
  });

  it('answers an outage of the token endpoint with 503 and Retry-After', async () => {
    s.auth.faults.fail(5, { status: 503, retryAfter: 7 });
    const app = new Hono()
      .use(grantkit({ source: s.source(), origins: '*' }))
      .get('/things', (c) => c.var.grantkit.fetch(`${s.apiServer.url}/echo`));
    const response = await app.request('/things');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ status: 503 });
  });

  it('lets onError answer token failures, including a source resolver that cannot build a source', async () => {
    const app = new Hono()
      .use(
        grantkit({
          source: () =>
            clientCredentials({
              tokenUrl: 'http://insecure.example/token',
              clientId: 'a',
              clientSecret: 'b',
            }),
          origins: '*',
          onError: (error, c) => c.json({ mine: error.code }, 500),
        }),
      )
      .get('/things', (c) => c.text('unreachable'));
    const response = await app.request('/things');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ mine: 'GRANTKIT_CONFIGURATION' });
  });

  it('picks a source per tenant and builds each tenant’s source once', async () => {
    let built = 0;
    const source = sourcePerTenant(
      (c: { req: { header(name: string): string | undefined } }) => c.req.header('x-tenant') ?? 'svc',
      (c) => {
        built += 1;
        const tenant = c.req.header('x-tenant') ?? 'svc';
        return s.source(tenant, tenant === 'svc' ? SECRET : 'other-secret');
      },
      { maxTenants: 10 },
    );
    const app = new Hono()
      .use(grantkit({ source, origins: [s.apiServer.url] }))
      .get('/who', async (c) => c.json(await (await c.var.grantkit.fetch(`${s.apiServer.url}/echo`)).json()));
    for (const tenant of ['svc', 'other', 'svc', 'other']) {
      const body = await echo(await app.request('/who', { headers: { 'x-tenant': tenant } }));
      expect(body.clientId).toBe(tenant);
    }
    expect(built).toBe(2);
    expect(s.auth.tokenRequestsFor('svc')).toBe(1);
    expect(s.auth.tokenRequestsFor('other')).toBe(1);
  });

  it('hands refresh-ahead work to executionCtx.waitUntil when the runtime has one', async () => {
    const clock = createManualClock();
    const source = s.source('svc', SECRET, { clock, random: () => 0.5 });
    const app = new Hono()
      .use(grantkit({ source, origins: '*' }))
      .get('/token', async (c) => c.text((await c.var.grantkit.getToken()).tokenType));
    const handed: Promise<unknown>[] = [];
    const executionCtx = {
      waitUntil: (p: Promise<unknown>) => handed.push(p),
      passThroughOnException: () => {},
      props: {},
    };
    await app.fetch(new Request('http://x/token'), {}, executionCtx);
    expect(handed).toHaveLength(1); // the cold request's store write and lock release
    await handed[0];
    handed.length = 0;
    clock.advance(3_500_000);
    expect((await app.fetch(new Request('http://x/token'), {}, executionCtx)).status).toBe(200);
    expect(handed).toHaveLength(1);
    await Promise.all(handed);
    expect(s.auth.tokenRequestsFor('svc')).toBe(2);
  });

  it('serves on a real port', async () => {
    const app = new Hono()
      .use(grantkit({ source: s.source(), origins: [s.apiServer.url] }))
      .get('/things', async (c) =>
        c.json(await (await c.var.grantkit.fetch(`${s.apiServer.url}/echo/y?q=1`)).json()),
      );
    const server = await listen(app);
    try {
      const body = await echo(await fetch(`${server.url}/things`));
      expect(body).toMatchObject({ path: '/echo/y', query: { q: '1' }, clientId: 'svc' });
    } finally {
      await server.close();
    }
  });
});

middlewareRuleSuite('grantkit middleware (Hono)', (setup) =>
  listen(
    new Hono().use(grantkit(setup)).get('/call', async (c) => {
      const upstream = await c.var.grantkit.fetch(c.req.query('to') ?? '', { method: 'POST', body: 'b' });
      return c.body(null, upstream.status as 200);
    }),
  ),
);
