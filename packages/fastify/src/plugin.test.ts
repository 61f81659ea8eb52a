import { GrantkitError, sourcePerTenant, type TokenSource } from '@grantkit/core';
import { type EchoResponse, useServers } from '@grantkit/test-servers';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { grantkit } from './plugin.js';

const s = useServers();

/** An app with the plugin and two routes: one calls the API, one reads the token type. */
async function app(
  source: Parameters<typeof grantkit>[1]['source'],
  origins = [s.apiUrl],
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(grantkit, { source, origins });
  app.get('/echo', async (request) => (await request.grantkit.fetch(`${s.apiUrl}/echo/from-route`)).json());
  app.get('/open', async (request) => (await request.grantkit.fetch(`${s.openUrl}/x`)).json());
  app.get('/boom', async () => {
    throw new Error('not a token failure');
  });
  return app;
}

describe('grantkit plugin', () => {
  it('gives every route request.grantkit, carrying the token to listed origins only', async () => {
    const server = await app(s.source());
    const echoed = (await server.inject('/echo')).json<EchoResponse>();
    expect(echoed).toMatchObject({ path: '/echo/from-route', clientId: 'svc' });
    expect((await server.inject('/open')).json()).toMatchObject({ authorization: null });
    expect(s.auth.tokenRequests).toBe(1);
  });

  it('answers a token failure in a route with a 502 problem, the stable code and no secret', async () => {
    const server = await app(s.source('svc', 'wrong-secret-value'));
    const response = await server.inject('/echo');
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 502, code: 'GRANTKIT_OAUTH_ERROR' });
    expect(response.body).not.toContain('wrong-secret-value');
  });

  it('answers a failing token endpoint with a 503 and Retry-After; other errors reach the default handler', async () => {
    const server = await app(s.source());
    s.auth.faults.fail(1, { status: 503, retryAfter: 7 });
    const response = await server.inject('/echo');
    expect([response.statusCode, response.headers['retry-after']]).toEqual([503, '7']);
    expect(response.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    const boom = await server.inject('/boom');
    expect([boom.statusCode, boom.json().message]).toEqual([500, 'not a token failure']);
  });

  it('picks a source per tenant through sourcePerTenant, and answers an unusable one with a problem', async () => {
    const built: string[] = [];
    const source = sourcePerTenant(
      (request: FastifyRequest) => String(request.headers['x-tenant'] ?? ''),
      (request): TokenSource => {
        const tenant = String(request.headers['x-tenant'] ?? '');
        if (!['svc', 'other'].includes(tenant))
          throw new GrantkitError('GRANTKIT_CONFIGURATION', 'unknown tenant');
        built.push(tenant);
        return s.source(tenant, tenant === 'svc' ? undefined : 'other-secret');
      },
    );
    const server = await app(source);
    const as = async (tenant: string) =>
      (await server.inject({ url: '/echo', headers: { 'x-tenant': tenant } })).json();
    expect(await as('svc')).toMatchObject({ clientId: 'svc' });
    expect(await as('other')).toMatchObject({ clientId: 'other' });
    expect(await as('svc')).toMatchObject({ clientId: 'svc' });
    expect(built).toEqual(['svc', 'other']);
    const unknown = await server.inject({ url: '/echo', headers: { 'x-tenant': 'nobody' } });
    expect([unknown.statusCode, unknown.json().code]).toEqual([500, 'GRANTKIT_CONFIGURATION']);
  });

  it('refuses malformed origins at registration', async () => {
    await expect(
      Fastify().register(grantkit, { source: s.source(), origins: ['api.acme.com'] }),
    ).rejects.toThrow(/origins/);
  });
});
