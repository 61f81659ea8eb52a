import { clientCredentials } from '@grantkit/core';
import { authHooks } from '@grantkit/ky';
import ky from 'ky';
import { check, type Echo, type Scenario, type ScenarioInput } from './scenario.js';

const source = (input: ScenarioInput) =>
  clientCredentials({
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    allowInsecureRequests: true,
  });

/** `@grantkit/ky` inside the runtime, with ky bundled in as a user's bundler would. */
export const kyScenarios: Record<string, Scenario> = {
  'ky: the hooks add the token and the API accepts it': async (input) => {
    const origin = new URL(input.apiUrl).origin;
    const api = ky.create({
      prefixUrl: input.apiUrl,
      hooks: authHooks(source(input), { origins: [origin] }),
    });
    const seen = await api.post('orders', { json: { quantity: 2 } }).json<Echo>();
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    check(seen.method === 'POST', `method ${seen.method}`);
    return {};
  },
};
