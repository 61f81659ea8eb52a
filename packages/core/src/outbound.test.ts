import { describe, expect, it } from 'vitest';
import { isGrantkitError } from './errors.js';
import {
  bearer,
  hasAuthorization,
  isReplayableBody,
  isTokenRejected,
  outboundPolicy,
  withBearer,
} from './outbound.js';

describe('outboundPolicy', () => {
  it('matches an origin exactly: scheme, host and port', () => {
    const { matches } = outboundPolicy(['https://api.acme.com']);
    expect(matches('https://api.acme.com')).toBe(true);
    expect(matches('https://api.acme.com/v1/users?x=1')).toBe(true);
    expect(matches(new URL('https://API.acme.com:443/v1'))).toBe(true);
    expect(matches('http://api.acme.com/v1')).toBe(false);
    expect(matches('https://api.acme.com:8443/v1')).toBe(false);
    expect(matches('https://evil.api.acme.com/v1')).toBe(false);
    expect(matches('https://api.acme.com.evil.io/v1')).toBe(false);
  });

  it('never matches http: and https: loosely, either way', () => {
    const { matches } = outboundPolicy(['http://127.0.0.1:8080']);
    expect(matches('http://127.0.0.1:8080/echo')).toBe(true);
    expect(matches('https://127.0.0.1:8080/echo')).toBe(false);
  });

  it('matches a URL prefix on a path segment boundary', () => {
    for (const entry of ['https://api.acme.com/coaching/', 'https://api.acme.com/coaching']) {
      const { matches } = outboundPolicy([entry]);
      expect(matches('https://api.acme.com/coaching')).toBe(true);
      expect(matches('https://api.acme.com/coaching/')).toBe(true);
      expect(matches('https://api.acme.com/coaching/v1/a?b=c')).toBe(true);
      expect(matches('https://api.acme.com/coachingx')).toBe(false);
      expect(matches('https://api.acme.com/other')).toBe(false);
      expect(matches('https://api.acme.com/')).toBe(false);
      expect(matches('https://api.acme.com/coaching/../admin')).toBe(false);
    }
  });

  it('matches any http(s) URL for "*", the explicit opt-in', () => {
    for (const origins of ['*', ['*']] as const) {
      const { matches } = outboundPolicy(origins);
      expect(matches('https://anything.example/x')).toBe(true);
      expect(matches('http://127.0.0.1:1/')).toBe(true);
      expect(matches('data:text/plain,hi')).toBe(false);
    }
  });

  it('never matches a relative or unparseable URL without a location', () => {
    const { matches } = outboundPolicy('*');
    expect(matches('/v1/users')).toBe(false);
    expect(matches('not a url')).toBe(false);
  });

  it.each([
    [[]],
    [['api.acme.com']],
    [['//api.acme.com']],
    [['https:api.acme.com']],
    [['ftp://api.acme.com']],
    [['https://user:pw@api.acme.com']],
    [['https://api.acme.com/?q=1']],
    [['https://api.acme.com/#top']],
    [['https://api.acme.com:99999']],
    [[42]],
    ['https://api.acme.com'],
    [undefined],
  ])('rejects %j at construction with GRANTKIT_CONFIGURATION', (origins) => {
    let thrown: unknown;
    try {
      outboundPolicy(origins as never);
    } catch (error) {
      thrown = error;
    }
    expect(isGrantkitError(thrown) && thrown.code).toBe('GRANTKIT_CONFIGURATION');
  });
});

describe('hasAuthorization', () => {
  it('finds the header in every HeadersInit shape, case-insensitively', () => {
    expect(hasAuthorization({ Authorization: 'Basic x' })).toBe(true);
    expect(hasAuthorization([['authorization', 'Bearer y']])).toBe(true);
    expect(hasAuthorization(new Headers({ AUTHORIZATION: 'z' }))).toBe(true);
    expect(hasAuthorization({ accept: 'application/json' })).toBe(false);
    expect(hasAuthorization(undefined)).toBe(false);
  });
});

describe('bearer', () => {
  it('formats the RFC 6750 header value from a token or its string', () => {
    expect(bearer('abc')).toBe('Bearer abc');
    expect(bearer({ accessToken: 'abc', tokenType: 'Bearer', expiresAt: 0 })).toBe('Bearer abc');
  });
});

describe('isReplayableBody', () => {
  it('accepts bodies that can be sent twice', () => {
    const form = new FormData();
    form.set('a', 'b');
    for (const body of [
      undefined,
      null,
      '',
      '{"a":1}',
      new URLSearchParams('a=b'),
      form,
      new Blob(['x']),
      new ArrayBuffer(2),
      new Uint8Array(2),
      new DataView(new ArrayBuffer(2)),
    ]) {
      expect(isReplayableBody(body)).toBe(true);
    }
  });

  it('refuses a stream and anything unknown', () => {
    expect(isReplayableBody(new Blob(['x']).stream())).toBe(false);
    expect(isReplayableBody({ [Symbol.asyncIterator]: () => ({}) })).toBe(false);
  });
});

describe('isTokenRejected', () => {
  const response = (status: number, challenge?: string): Response =>
    new Response(null, { status, headers: challenge ? { 'www-authenticate': challenge } : {} });

  it('treats a 401 as a rejected token, with or without a challenge', () => {
    expect(isTokenRejected(response(401))).toBe(true);
    expect(isTokenRejected(response(401, 'Bearer realm="demo"'))).toBe(true);
    expect(
      isTokenRejected(
        response(401, 'Bearer realm="demo", error="invalid_token", error_description="The token expired"'),
      ),
    ).toBe(true);
  });

  it('does not replay when the Bearer challenge names another error', () => {
    expect(isTokenRejected(response(401, 'Bearer error="invalid_request"'))).toBe(false);
    expect(isTokenRejected(response(401, 'Bearer realm="x",error=insufficient_scope'))).toBe(false);
  });

  it('ignores every other status', () => {
    for (const status of [200, 400, 403, 500]) expect(isTokenRejected(response(status))).toBe(false);
  });
});

describe('withBearer', () => {
  it('sets the header on a copy, and refuses a token a header cannot carry without quoting it', () => {
    const given = new Headers({ 'x-a': '1' });
    const headers = withBearer(given, 'abc.def');
    expect([headers.get('authorization'), headers.get('x-a'), given.has('authorization')]).toEqual([
      'Bearer abc.def',
      '1',
      false,
    ]);
    const secret = 'eyJsecret-token\r\nx-injected: 1';
    const error: unknown = (() => {
      try {
        return withBearer(undefined, secret);
      } catch (e) {
        return e;
      }
    })();
    expect(isGrantkitError(error) && error.code).toBe('GRANTKIT_INVALID_RESPONSE');
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain('eyJsecret');
  });
});

describe('outboundPolicy: lists built per request', () => {
  it('gives the same policy for a new list with the same entries, and still refuses other origins', () => {
    const first = outboundPolicy(['https://api.acme.com']);
    const again = outboundPolicy(['https://api.acme.com']);
    expect(again).toBe(first);
    expect(again.matches('https://api.acme.com/x')).toBe(true);
    expect(again.matches('https://api.acme.com.evil.io/x')).toBe(false);
    expect(again.matches('https://api.acme.com@evil.io/x')).toBe(false);
  });
});
