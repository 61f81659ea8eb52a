import { clientCredentials } from '@grantkit/core';
import { createAuthServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { grantkit, withGrantkit } from './index.js';
import { frameworks, serve } from './test/frameworks.js';

// Regression: a token endpoint's 401 reached the service's own caller as a 401 through Express's
// default error handler, which answers with an error's `status`.
let auth: Awaited<ReturnType<typeof createAuthServer>>;
let authServer: RunningServer;
beforeAll(async () => {
  auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 'right' } } } } });
  authServer = await listen(auth.app);
});
afterAll(() => authServer.close());
beforeEach(() => auth.reset());

describe.each(frameworks)('default error handler (%s)', (_name, load) => {
  it("does not turn the token endpoint's 401 into the caller's 401", async () => {
    const source = clientCredentials({
      tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
      clientId: 'svc',
      clientSecret: 'wrong',
      allowInsecureRequests: true,
    });
    const express = await load();
    const app = express();
    app.use(grantkit({ source, origins: ['https://api.example.com'] }));
    app.get(
      '/',
      withGrantkit(async (req, res) => res.json(await req.grantkit.getToken())),
    );
    const server = await serve(app);
    try {
      const response = await fetch(`${server.url}/`);
      expect(auth.requestLog.map((r) => r.status)).toEqual([401]);
      expect(response.status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
