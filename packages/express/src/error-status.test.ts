import { clientCredentials } from '@grantkit/core';
import { createAuthServer } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import express from 'express';
import { afterAll, expect, it } from 'vitest';
import { grantkit, withGrantkit } from './index.js';

// Regression: a token endpoint's 401 reached the service's own caller as a 401 through Express's
// default error handler, which answers with an error's `status`.
it("does not turn the token endpoint's 401 into the caller's 401", async () => {
  const auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 'right' } } } } });
  const authServer = await listen(auth.app);
  const source = clientCredentials({
    tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
    clientId: 'svc',
    clientSecret: 'wrong',
    allowInsecureRequests: true,
  });
  const app = express();
  app.use(grantkit({ source, origins: ['https://api.example.com'] }));
  app.get(
    '/',
    withGrantkit(async (req, res) => res.json(await req.grantkit.getToken())),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  afterAll(async () => {
    server.close();
    await authServer.close();
  });
  const { port } = server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}/`);
  expect(response.status).toBe(500);
  expect(auth.tokenRequests).toBe(1);
});
