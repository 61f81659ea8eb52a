import { clientCredentials, sourcePerTenant } from '@grantkit/core';
import { SECRET, useServers } from '@grantkit/test-servers';
import { middlewareRuleSuite } from '@grantkit/test-servers/rule-suite';
import type { EchoResponse } from '@grantkit/testing';
import express, { type Request } from 'express';
import { describe, expect, it } from 'vitest';
import { grantkit, tokenErrorHandler, withGrantkit } from './index.js';
import { frameworks, serve } from './test/frameworks.js';

const s = useServers();

describe.each(frameworks)('grantkit middleware (%s)', (_name, load) => {
  const start = async (options: Parameters<typeof grantkit>[0]) => {
    const express = await load();
    const app = express();
    app.use(grantkit(options));
    app.get(
      '/things',
      withGrantkit(async (req, res) => {
        const upstream = await req.grantkit.fetch(`${s.apiServer.url}/echo/x?y=1`, {
          method: 'POST',
          body: JSON.stringify({ a: 1 }),
        });
        res.status(upstream.status).json(await upstream.json().catch(() => null));
      }),
    );
    app.get(
      '/token',
      withGrantkit(async (req, res) => res.json({ type: (await req.grantkit.getToken()).tokenType })),
    );
    app.use(tokenErrorHandler());
    return serve(app);
  };

  it('gives routes a fetch that carries the token, one token request for many', async () => {
    const server = await start({ source: s.source(), origins: [s.apiServer.url] });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${server.url}/things`);
        expect(response.status).toBe(200);
        expect((await response.json()) as EchoResponse).toMatchObject({ clientId: 'svc', query: { y: '1' } });
      }
      expect(s.auth.tokenRequestsFor('svc')).toBe(1);
      expect(await (await fetch(`${server.url}/token`)).json()).toEqual({ type: 'Bearer' });
    } finally {
      await server.close();
    }
  });

  it('replays a 401 once with a new token and the body intact', async () => {
    const source = s.source();
    const server = await start({ source, origins: [s.apiServer.url] });
    try {
      s.auth.revoke((await source.getToken()).accessToken);
      const response = await fetch(`${server.url}/things`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as EchoResponse).body).toBe('{"a":1}');
      expect(s.api.unauthorized).toBe(1);
      expect(s.auth.tokenRequests).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('turns a token failure into a 502 problem through tokenErrorHandler, with no secret', async () => {
    const server = await start({ source: s.source('svc', 'wrong-secret'), origins: '*' });
    try {
      const response = await fetch(`${server.url}/things`);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({
        status: 502,
        title: 'Bad Gateway',
        code: 'GRANTKIT_OAUTH_ERROR',
      });
      expect(text).not.toContain('wrong-secret');
    } finally {
      await server.close();
    }
  });

  it('answers an unusable per-request source with a problem, or hands it to onError', async () => {
    const broken = () =>
      clientCredentials({ tokenUrl: 'http://insecure.example/t', clientId: 'a', clientSecret: 'b' });
    const plain = await start({ source: broken, origins: '*' });
    const hooked = await start({
      source: broken,
      origins: '*',
      onError: (error, _req, res) => void res.status(500).json({ mine: error.code }),
    });
    try {
      const response = await fetch(`${plain.url}/things`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ code: 'GRANTKIT_CONFIGURATION' });
      expect(await (await fetch(`${hooked.url}/things`)).json()).toEqual({ mine: 'GRANTKIT_CONFIGURATION' });
    } finally {
      await plain.close();
      await hooked.close();
    }
  });

  it('tells a route written with withGrantkit that the middleware is missing', async () => {
    const express = await load();
    const app = express();
    app.get(
      '/',
      withGrantkit((req, res) => res.end(typeof req.grantkit)),
    );
    app.use((error: Error, _req: Request, res: import('express').Response, _next: unknown) => {
      res.status(500).send(error.message);
    });
    const server = await serve(app);
    try {
      expect(await (await fetch(server.url)).text()).toMatch(/mount the grantkit\(\) middleware/);
    } finally {
      await server.close();
    }
  });

  it('picks a source per tenant and builds each tenant’s source once', async () => {
    let built = 0;
    const source = sourcePerTenant(
      (req: Request) => req.get('x-tenant') ?? 'svc',
      (req) => {
        built += 1;
        const tenant = req.get('x-tenant') ?? 'svc';
        return s.source(tenant, tenant === 'svc' ? SECRET : 'other-secret');
      },
    );
    const server = await start({ source, origins: [s.apiServer.url] });
    try {
      for (const tenant of ['svc', 'other', 'svc', 'other']) {
        const response = await fetch(`${server.url}/things`, { headers: { 'x-tenant': tenant } });
        expect(((await response.json()) as EchoResponse).clientId).toBe(tenant);
      }
      expect(built).toBe(2);
      expect(s.auth.tokenRequests).toBe(2);
    } finally {
      await server.close();
    }
  });
});

middlewareRuleSuite('grantkit middleware (express 5)', async (setup) => {
  const app = express();
  app.use(grantkit(setup));
  app.get(
    '/call',
    withGrantkit(async (req, res) => {
      const upstream = await req.grantkit.fetch(String(req.query['to']), { method: 'POST', body: 'b' });
      res.status(upstream.status).end();
    }),
  );
  return serve(app);
});
