import { clientCredentials, isGrantkitError, OAuthError, verintCoaching } from '@grantkit/core';
import { check, echo, type Scenario, type ScenarioInput } from './scenario.js';

const source = (input: ScenarioInput, extra: { clientSecret?: string; timeoutMs?: number } = {}) =>
  clientCredentials({
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: extra.clientSecret ?? input.clientSecret,
    allowInsecureRequests: true,
    ...(extra.timeoutMs !== undefined && { timeoutMs: extra.timeoutMs, retry: { attempts: 1 } }),
  });

const bearer = (accessToken: string): RequestInit => ({
  headers: { authorization: `Bearer ${accessToken}` },
});

/** `@grantkit/core` inside the runtime: each scenario uses its own client, so the Node side can count. */
export const coreScenarios: Record<string, Scenario> = {
  'core: acquires a token and the API accepts it': async (input) => {
    const token = await source(input).getToken();
    check(token.tokenType === 'Bearer', `tokenType ${token.tokenType}`);
    check(token.expiresAt > Date.now(), 'expiresAt is in the past');
    // The fake issues 300 s tokens: `expiresAt` is epoch time, comparable to the runtime's `Date.now()`.
    check(token.expiresAt <= Date.now() + 300_000, `expiresAt is ${token.expiresAt - Date.now()} ms away`);
    const seen = await echo(await fetch(`${input.apiUrl}/orders`, bearer(token.accessToken)));
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    return { tokenId: seen.tokenId };
  },

  'core: concurrent cold callers share one token request': async (input) => {
    const s = source(input);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => s.getToken()));
    check(new Set(tokens.map((t) => t.accessToken)).size === 1, 'callers got different tokens');
    return { callers: tokens.length };
  },

  'core: sequential calls reuse the cached token': async (input) => {
    const s = source(input);
    const first = await s.getToken();
    for (let i = 0; i < 4; i++) {
      check((await s.getToken()).accessToken === first.accessToken, `call ${i + 2} got another token`);
    }
    check(s.state.status === 'valid', `state ${s.state.status}`);
    return { status: s.state.status };
  },

  'core: invalidate drops only the current token': async (input) => {
    const s = source(input);
    const first = await s.getToken();
    s.invalidate('some-older-token');
    check((await s.getToken()).accessToken === first.accessToken, 'a stale invalidate dropped the token');
    s.invalidate(first.accessToken);
    const second = await s.getToken();
    check(second.accessToken !== first.accessToken, 'invalidate kept the token');
    return {};
  },

  'core: a secret with + : % and spaces works with Basic auth': async (input) => {
    const token = await source(input).getToken();
    check(token.accessToken.length > 0, 'no token');
    return {};
  },

  'core: verintCoaching builds the documented /auth/realms URL': async (input) => {
    const s = verintCoaching({
      domain: input.realm,
      authOrigin: input.authOrigin,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      allowInsecureRequests: true,
    });
    const seen = await echo(await fetch(input.apiUrl, bearer((await s.getToken()).accessToken)));
    check(seen.clientId === input.clientId, `API saw client ${seen.clientId}`);
    return {};
  },

  'core: a rejected secret is a typed OAuth error that never shows the secret': async (input) => {
    const wrong = 'wrong-secret-0xC0FFEE';
    const error = await source(input, { clientSecret: wrong })
      .getToken()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    check(isGrantkitError(error), `not a GrantkitError: ${String(error)}`);
    check(error instanceof OAuthError, 'not an OAuthError');
    check(error.code === 'GRANTKIT_OAUTH_ERROR', `code ${error.code}`);
    check(error.error === 'unauthorized_client', `error ${error.error}`);
    for (const shown of [error.message, String(error), JSON.stringify(error), error.stack ?? '']) {
      check(!shown.includes(wrong), 'the secret leaked into the error');
    }
    return { code: error.code, error: error.error };
  },

  'core: a token never shows in JSON': async (input) => {
    const token = await source(input).getToken();
    check(!JSON.stringify(token).includes(token.accessToken), 'JSON.stringify showed the token');
    return {};
  },

  'core: a hanging token endpoint fails with GRANTKIT_TIMEOUT': async (input) => {
    const error = await source(input, { timeoutMs: 300 })
      .getToken()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    check(isGrantkitError(error), `not a GrantkitError: ${String(error)}`);
    check(error.code === 'GRANTKIT_TIMEOUT', `code ${error.code}`);
    return { code: error.code };
  },
};
