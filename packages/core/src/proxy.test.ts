import { describe, expect, it } from 'vitest';
import {
  bufferBody,
  proxyRequestHeaders,
  proxyRequestInit,
  proxyResponseHeaders,
  proxyRoute,
  proxyUrl,
} from './proxy.js';

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

  it('drops set-cookie and decoded encodings coming back', () => {
    const headers = proxyResponseHeaders(
      new Headers({ 'set-cookie': 'a=1', 'content-encoding': 'gzip', 'content-length': '10', 'x-a': '1' }),
    );
    expect([...headers.keys()]).toEqual(['x-a']);
  });
});

describe('bufferBody', () => {
  const stream = (...chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(size));
        controller.close();
      },
    });

  it('buffers a body within the limit', async () => {
    const body = await bufferBody(stream(3, 4), 10);
    expect(body).toBeInstanceOf(Uint8Array);
    expect([...(body as Uint8Array)]).toEqual([3, 3, 3, 4, 4, 4, 4]);
  });

  it('streams a longer body whole', async () => {
    const body = await bufferBody(stream(6, 6, 6), 10);
    expect(body).toBeInstanceOf(ReadableStream);
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    expect(bytes.length).toBe(18);
  });
});

describe('proxyRoute', () => {
  it('strips the mount prefix on a segment boundary, rewrites, and stays on the target', () => {
    const route = proxyRoute<{ version: string }>({
      target: 'https://api.acme.com/v1',
      stripPrefix: '/coaching/',
      rewrite: (path, context) => `/${context.version}${path}`,
    });
    expect(route('/coaching/sessions', '?page=2', { version: 'beta' })?.href).toBe(
      'https://api.acme.com/v1/beta/sessions?page=2',
    );
    expect(route('/coachingx/sessions', '', { version: 'b' })?.href).toBe(
      'https://api.acme.com/v1/b/coachingx/sessions',
    );
    expect(route('/coaching/../../admin', '', { version: '..' })).toBeUndefined();
  });
});

describe('proxyRequestInit', () => {
  const signal = new AbortController().signal;
  const headers = new Headers({ authorization: 'Bearer caller', cookie: 'a=1', 'x-trace': 't' });

  it('filters headers, follows no redirect and buffers a small body so it can be replayed', async () => {
    const body = new Blob(['{"a":1}']).stream();
    const init = await proxyRequestInit({ method: 'POST', headers, body, signal }, 1_024);
    expect(init).toMatchObject({ method: 'POST', redirect: 'manual', signal });
    expect([...(init.headers as Headers)]).toEqual([['x-trace', 't']]);
    expect(new TextDecoder().decode(init.body as Uint8Array)).toBe('{"a":1}');
    expect(init.duplex).toBeUndefined();
  });

  it('streams a body beyond the limit, and sends none for GET', async () => {
    const big = await proxyRequestInit(
      { method: 'PUT', headers, body: new Blob(['x'.repeat(100)]).stream(), signal },
      10,
    );
    expect(big.body).toBeInstanceOf(ReadableStream);
    expect(big.duplex).toBe('half');
    const get = await proxyRequestInit(
      { method: 'GET', headers, body: new Blob(['ignored']).stream(), signal },
      10,
    );
    expect(get.body).toBeUndefined();
  });
});
