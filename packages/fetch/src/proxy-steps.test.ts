import { describe, expect, it } from 'vitest';
import {
  hasEncodedSeparator,
  proxyRequestHeaders,
  proxyRequestInit,
  proxyResponseHeaders,
  proxyTarget,
  proxyUrl,
  stripMount,
} from './proxy-steps.js';

const target = 'https://api.acme.com/v1';

describe('proxyUrl', () => {
  it('maps path and query under the target base path', () => {
    expect(proxyUrl(target, '/users/7', '?x=1')?.href).toBe('https://api.acme.com/v1/users/7?x=1');
    expect(proxyUrl(`${target}/`, 'users', 'x=1')?.href).toBe('https://api.acme.com/v1/users?x=1');
    expect(proxyUrl('https://api.acme.com', '/', '')?.href).toBe('https://api.acme.com/');
  });

  it('never leaves the target origin, whatever the path', () => {
    for (const path of [
      '//evil.com/x',
      '/\\evil.com/x',
      '\\\\evil.com',
      '/http://evil.com/x',
      '/@evil.com',
      '//user@evil.com',
    ]) {
      const url = proxyUrl(target, path, '');
      expect(url?.origin ?? 'https://api.acme.com').toBe('https://api.acme.com');
    }
  });

  it('refuses paths that climb above the base path', () => {
    expect(proxyUrl(target, '/../admin', '')).toBeUndefined();
    expect(proxyUrl(target, '/a/%2e%2e/%2e%2e/admin', '')).toBeUndefined();
    expect(proxyUrl(target, '/a/../b', '')?.pathname).toBe('/v1/b');
  });
});

describe('proxy headers', () => {
  it('drops credentials, cookies, host and hop-by-hop headers going up', () => {
    const headers = proxyRequestHeaders(
      new Headers({
        authorization: 'Bearer caller',
        cookie: 'a=1',
        host: 'proxy.local',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic x',
        te: 'trailers',
        upgrade: 'websocket',
        accept: 'application/json',
      }),
    );
    expect([...headers.keys()]).toEqual(['accept']);
  });

  it('drops forwarding and identity headers unless named in forwardHeaders', () => {
    const incoming = new Headers({
      forwarded: 'for=1.2.3.4',
      'x-forwarded-for': '1.2.3.4',
      'X-Forwarded-Host': 'evil',
      'x-real-ip': '1.2.3.4',
      'x-user-id': 'admin',
      'x-trace': 't',
    });
    expect([...proxyRequestHeaders(incoming).keys()]).toEqual(['x-trace']);
    expect([...proxyRequestHeaders(incoming, ['X-Forwarded-For', 'x-user-*']).keys()]).toEqual([
      'x-forwarded-for',
      'x-trace',
      'x-user-id',
    ]);
  });

  it('drops set-cookie and decoded encodings coming back', () => {
    const headers = proxyResponseHeaders(
      new Headers({ 'set-cookie': 'a=1', 'content-encoding': 'gzip', 'content-length': '10', 'x-a': '1' }),
    );
    expect([...headers.keys()]).toEqual(['x-a']);
  });
});

describe('stripMount and hasEncodedSeparator', () => {
  it('strips the mount prefix on a segment boundary only', () => {
    expect(stripMount('/coaching/sessions', '/coaching/')).toBe('/sessions');
    expect(stripMount('/coaching', '/coaching')).toBe('/');
    expect(stripMount('/coachingx/sessions', '/coaching')).toBeUndefined();
    expect(stripMount('/x', '')).toBe('/x');
  });

  it('finds encoded slashes and backslashes in any case', () => {
    for (const path of ['/a/..%2fadmin', '/a/%2e%2e%2Fadmin', '/..%5cadmin', '/a%2Fb', '/a%5Cb'])
      expect(hasEncodedSeparator(path), path).toBe(true);
    expect(hasEncodedSeparator('/a/%2e%2e.b/%20c')).toBe(false);
  });
});

describe('proxyTarget', () => {
  it('refuses a target that cannot work with a GRANTKIT_CONFIGURATION error', () => {
    for (const target of [
      'api.acme.com',
      'ftp://api.acme.com',
      'https://u:p@api.acme.com',
      'https://a/?x=1',
      42,
    ])
      expect(() => proxyTarget(target), String(target)).toThrow(
        expect.objectContaining({ code: 'GRANTKIT_CONFIGURATION' }),
      );
    expect(proxyTarget('https://api.acme.com/v1').href).toBe('https://api.acme.com/v1');
  });
});

describe('proxyRequestInit', () => {
  const signal = new AbortController().signal;
  const headers = new Headers({ authorization: 'Bearer caller', cookie: 'a=1', 'x-trace': 't' });

  it('filters headers, follows no redirect and buffers a small body so it can be replayed', async () => {
    const body = new Blob(['{"a":1}']).stream();
    const init = await proxyRequestInit(
      new Request('https://p/x', { method: 'POST', headers, body, signal, duplex: 'half' } as RequestInit),
      1_024,
      [],
    );
    expect(init).toMatchObject({ method: 'POST', redirect: 'manual' });
    expect([...(init.headers as Headers)]).toEqual([['x-trace', 't']]);
    expect(new TextDecoder().decode(init.body as Uint8Array)).toBe('{"a":1}');
    expect(init.duplex).toBeUndefined();
  });

  it('streams a body beyond the limit, and sends none for GET', async () => {
    const big = await proxyRequestInit(
      new Request('https://p/x', { method: 'PUT', headers, body: 'x'.repeat(100), signal }),
      10,
      [],
    );
    expect(big.body).toBeInstanceOf(ReadableStream);
    expect(big.duplex).toBe('half');
    const get = await proxyRequestInit(new Request('https://p/x', { headers, signal }), 10, []);
    expect(get.body).toBeUndefined();
  });
});
