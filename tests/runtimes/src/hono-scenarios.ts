import { clientCredentials } from '@grantkit/core';
import { authProxy, type GrantkitEnv, grantkit } from '@grantkit/hono';
import { Hono } from 'hono';
import { check, echo, type Scenario, type ScenarioInput } from './scenario.js';

const source = (input: ScenarioInput) =>
  clientCredentials({
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    allowInsecureRequests: true,
  });

/** `@grantkit/hono` inside the runtime: a Hono app answering `app.request()`. */
export const honoScenarios: Record<string, Scenario> = {
  'hono: the middleware hands handlers a fetch that carries the token': async (input) => {
    const app = new Hono<GrantkitEnv>();
    app.use(grantkit({ source: source(input), origins: [new URL(input.apiUrl).origin] }));
    app.get('/orders', async (c) =>
      c.json(await (await c.var.grantkit.fetch(`${input.apiUrl}/orders`)).json()),
    );
    const seen = await echo(await app.request('/orders'));
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    return {};
  },

  'hono: authProxy forwards requests with the token': async (input) => {
    const app = new Hono();
    app.all(
      '/coaching/*',
      authProxy({ source: source(input), target: input.apiUrl, stripPrefix: '/coaching' }),
    );
    const seen = await echo(await app.request('/coaching/sessions', { method: 'POST', body: 'hello' }));
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    check(seen.method === 'POST', `method ${seen.method}`);
    return {};
  },
};
