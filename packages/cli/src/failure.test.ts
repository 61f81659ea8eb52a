import { GrantkitError } from '@grantkit/core';
import { describe, expect, it } from 'vitest';
import type { RequestArguments } from './arguments.js';
import { describeFailure } from './failure.js';

// A name that does not resolve, as Node's fetch reports it and core wraps it: `GRANTKIT_NETWORK_ERROR`
// caused by fetch's `TypeError`, caused by the `getaddrinfo` error with its system code. Built here so the
// hint does not depend on this machine's resolver (a connection refused runs end to end in bin.test.ts).
const unresolved = (code: 'ENOTFOUND' | 'EAI_AGAIN', hostname: string): GrantkitError => {
  const lookup = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
    code,
    syscall: 'getaddrinfo',
    hostname,
  });
  return new GrantkitError('GRANTKIT_NETWORK_ERROR', 'token request failed', {
    cause: new TypeError('fetch failed', { cause: lookup }),
    retryable: true,
  });
};

const common = {
  clientId: 'svc',
  scope: undefined,
  audience: undefined,
  resource: undefined,
  clientAuth: 'client_secret_basic',
  allowInsecureRequests: false,
  timeoutMs: undefined,
  json: false,
  printToken: false,
  clientSecretStdin: false,
} as const;

const verint: RequestArguments = {
  ...common,
  command: 'verint',
  domain: 'no-such-tenant',
  authOrigin: undefined,
  pathPrefix: undefined,
};
const verintUrl = 'https://auth.no-such-tenant/auth/realms/no-such-tenant/protocol/openid-connect/token';

describe('a host that does not resolve', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN'] as const)(
    '%s with grantkit verint: exit 3, and the hint points at --domain',
    (code) => {
      const failure = describeFailure(unresolved(code, 'auth.no-such-tenant'), verint, verintUrl, 10_000);

      expect(failure).toMatchObject({ exitCode: 3, code: 'GRANTKIT_NETWORK_ERROR' });
      expect(failure.hint).toContain('auth.no-such-tenant does not resolve');
      expect(failure.hint).toContain('--domain');
    },
  );

  it('with grantkit token: the hint points at the token URL and the DNS, not at --domain', () => {
    const request: RequestArguments = { ...common, command: 'token', tokenUrl: 'https://auth.nowhere/token' };
    const failure = describeFailure(
      unresolved('ENOTFOUND', 'auth.nowhere'),
      request,
      request.tokenUrl,
      10_000,
    );

    expect(failure.exitCode).toBe(3);
    expect(failure.hint).toContain('auth.nowhere does not resolve: check the host name in the token URL');
    expect(failure.hint).not.toContain('--domain');
  });
});
