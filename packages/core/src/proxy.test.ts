import { describe, expect, it } from 'vitest';
import { bufferBody, proxyRequestHeaders, proxyResponseHeaders, proxyUrl } from './proxy.js';

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
