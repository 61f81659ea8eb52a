import { type AccessToken, clientCredentials, type TokenSource } from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import { check, echo, type Scenario, type ScenarioInput } from './scenario.js';

const source = (input: ScenarioInput) =>
  clientCredentials({
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    allowInsecureRequests: true,
  });

/** A source whose first token the API rejects, as after a revocation; then the real ones. */
function rejectedFirst(real: TokenSource, invalidated: string[]): TokenSource {
  let first = true;
  return {
    getToken: (options) => {
      if (!first) return real.getToken(options);
      first = false;
      const revoked: AccessToken = {
        accessToken: 'revoked-token',
        tokenType: 'Bearer',
        expiresAt: Date.now() + 60_000,
      };
      return Promise.resolve(revoked);
    },
    invalidate: (accessToken) => {
      if (accessToken) invalidated.push(accessToken);
      real.invalidate(accessToken);
    },
    get state() {
      return real.state;
    },
  };
}

/** `@grantkit/fetch` inside the runtime. */
export const fetchScenarios: Record<string, Scenario> = {
  'fetch: adds the token for the configured URL prefix only': async (input) => {
    const api = authFetch(source(input), { origins: [`${input.apiUrl}/private/`] });
    const seen = await echo(await api(`${input.apiUrl}/private/orders`));
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    const outside = await api(`${input.apiUrl}/public`);
    check(outside.status === 401, `a URL outside the prefix got ${outside.status}, so it carried a token`);
    return {};
  },

  'fetch: a 401 invalidates the token and replays once with the body intact': async (input) => {
    const invalidated: string[] = [];
    const api = authFetch(rejectedFirst(source(input), invalidated), {
      origins: [new URL(input.apiUrl).origin],
    });
    const body = JSON.stringify({ note: 'sent twice' });
    const seen = await echo(
      await api(input.apiUrl, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
    );
    check(invalidated.join() === 'revoked-token', `invalidated ${invalidated.join()}`);
    const sent = typeof seen.body === 'string' ? seen.body : JSON.stringify(seen.body);
    check(sent === body, `the replay sent ${sent}`);
    return {};
  },

  'fetch: the token never follows a redirect out of a URL-prefix rule': async (input) => {
    const origin = new URL(input.apiUrl).origin;
    const redirect = `${origin}/private/redirect?to=${encodeURIComponent('/echo/outside')}`;
    // Under the prefix rule the hop to /echo/outside goes without the token: a 401 naming no token error.
    const prefixed = await authFetch(source(input), { origins: [`${origin}/private/`] })(redirect);
    const challenge = prefixed.headers.get('www-authenticate') ?? '';
    check(prefixed.status === 401, `the hop out of the prefix got ${prefixed.status}`);
    check(!/error=/.test(challenge), `the hop out of the prefix carried a token: ${challenge}`);
    // Under an origin rule the same hop is on an allowed origin, and carries it (the second source, of the
    // same configuration, shares the first one's token: no second token request).
    const seen = await echo(await authFetch(source(input), { origins: [origin] })(redirect));
    check(seen.clientId === input.clientId, `the hop within the origin was sent as ${seen.clientId}`);
    return {};
  },
};
