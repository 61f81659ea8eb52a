import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthServer, createAuthServer } from './auth-server.js';
import { isConnectionDropped } from './connection-dropped.js';
import { listen, type RunningServer } from './node.js';

let auth: AuthServer;
let server: RunningServer;

beforeAll(async () => {
  auth = await createAuthServer({
    realms: { demo: { clients: { svc: { secret: 's', lifetimeSeconds: 60 } } } },
  });
  server = await listen(auth.app);
});
afterAll(() => server.close());
beforeEach(() => auth.reset());

const init = (signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&client_id=svc&client_secret=s',
  ...(signal ? { signal } : {}),
});
const overSocket = (signal?: AbortSignal) => fetch(auth.tokenUrl(server.url, 'demo'), init(signal));
const inProcess = async (signal?: AbortSignal): Promise<Response> =>
  auth.app.request(auth.tokenUrl('http://localhost', 'demo'), init(signal));

describe('faults', () => {
  it('fail answers the next n requests with the status, Retry-After and body asked for, then recovers', async () => {
    auth.faults.fail(2, { status: 503, retryAfter: 7 });
    const first = await overSocket();
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await first.json()).error).toBe('temporarily_unavailable');
    expect((await inProcess()).status).toBe(503);
    expect((await overSocket()).status).toBe(200);
    expect(auth.tokenRequests).toBe(3);
    expect(auth.issuedTokens).toBe(1);
    expect(auth.requestLog.map((entry) => entry.fault)).toEqual(['fail', 'fail', undefined]);
  });

  it('fail sends custom string and object bodies', async () => {
    auth.faults.fail(1, { status: 429, body: 'slow down', contentType: 'text/plain' });
    auth.faults.fail(1, { status: 400, body: { error: 'invalid_grant' } });
    const text = await inProcess();
    expect([text.status, await text.text(), text.headers.get('retry-after')]).toEqual([
      429,
      'slow down',
      null,
    ]);
    const json = await inProcess();
    expect([json.status, await json.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });

  it('faults queue in the order they were added', async () => {
    auth.faults.malformed(1, 'html');
    auth.faults.fail(1, { status: 500 });
    expect(auth.faults.pending).toBe(2);
    expect((await inProcess()).headers.get('content-type')).toMatch(/text\/html/);
    expect((await inProcess()).status).toBe(500);
    expect((await inProcess()).status).toBe(200);
  });

  it.each([
    ['html', async (r: Response) => expect(r.headers.get('content-type')).toMatch(/^text\/html/)],
    ['not-json', async (r: Response) => expect(r.json()).rejects.toThrow()],
    [
      'missing-access-token',
      async (r: Response) => expect(await r.json()).not.toHaveProperty('access_token'),
    ],
    ['wrong-token-type', async (r: Response) => expect((await r.json()).token_type).toBe('mac')],
  ] as const)('malformed %s', async (kind, check) => {
    auth.faults.malformed(1, kind);
    const response = await overSocket();
    expect(response.status).toBe(200);
    await check(response);
  });

  it.each(['abc', -5, 1e12, null])(
    'malformed { expires_in: %s } sends a real token with that expires_in',
    async (value) => {
      auth.faults.malformed(1, { expires_in: value });
      const body = await (await inProcess()).json();
      expect(body.expires_in).toBe(value);
      expect(decodeJwt(body.access_token)).toMatchObject({ azp: 'svc' });
      expect(auth.issuedTokens).toBe(1);
    },
  );

  it('malformed { expires_in: undefined } leaves the field out', async () => {
    auth.faults.malformed(1, { expires_in: undefined });
    const body = await (await inProcess()).json();
    expect(body).not.toHaveProperty('expires_in');
    expect(body.token_type).toBe('Bearer');
  });

  it('malformed { access_token } sends that access_token as it is', async () => {
    auth.faults.malformed(1, { access_token: 'abc\r\nX-Injected: 1' });
    expect((await (await inProcess()).json()).access_token).toBe('abc\r\nX-Injected: 1');
  });

  it('oversized produces its body only as fast as the client reads it', async () => {
    auth.faults.oversized(1, { bytes: 5_000_000 });
    const reader = (await inProcess()).body?.getReader();
    await reader?.read();
    await reader?.read();
    await reader?.cancel();
    expect(auth.requestLog[0]?.fault).toBe('oversized');
    expect(auth.requestLog[0]?.producedBytes).toBeLessThan(1_000_000);
  });

  it('oversized with gzip sends a small download that expands to the size asked for', async () => {
    auth.faults.oversized(1, { bytes: 2_000_000, gzip: true });
    const response = await inProcess();
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const compressed = new Uint8Array(await response.arrayBuffer());
    expect(compressed.byteLength).toBeLessThan(100_000);
    const expanded = await new Response(
      new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip')),
    ).text();
    expect(expanded.length).toBeGreaterThanOrEqual(2_000_000);
    expect(JSON.parse(expanded).token_type).toBe('Bearer');
  });

  it('trickle sends a good token response one byte at a time', async () => {
    auth.faults.trickle(1, 1);
    const response = await inProcess();
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(first?.value?.byteLength).toBe(1);
    await reader?.cancel();
    expect(response.status).toBe(200);
  });

  it('drop destroys the socket: fetch rejects with TypeError, and the next request works', async () => {
    auth.faults.drop(1);
    const error = await overSocket().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((await overSocket()).status).toBe(200);
    expect(auth.requestLog.map((entry) => [entry.fault, entry.status])).toEqual([
      ['drop', 0],
      [undefined, 200],
    ]);
  });

  it('drop in-process rejects app.request with a fetch-failed TypeError', async () => {
    auth.faults.drop(1);
    const error = await inProcess().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(isConnectionDropped(error)).toBe(true);
  });

  it('hang waits until the client aborts, over a socket and in-process', async () => {
    auth.faults.hang(2);
    for (const send of [overSocket, inProcess]) {
      const controller = new AbortController();
      const pending = send(controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 30));
      controller.abort(new Error('client gave up'));
      await expect(pending).rejects.toThrow();
    }
    expect(auth.tokenRequests).toBe(2);
    expect((await overSocket()).status).toBe(200);
  });

  it('clear releases hanging requests, which are then answered normally', async () => {
    auth.faults.hang(1);
    const pending = overSocket();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(auth.requestLog[0]?.status).toBe(0);
    auth.faults.clear();
    expect((await pending).status).toBe(200);
    expect(auth.faults.pending).toBe(0);
  });

  it('latency delays every request until cleared', async () => {
    auth.faults.latency(80);
    const started = performance.now();
    expect((await inProcess()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    auth.faults.latency(0);
    expect((await overSocket()).status).toBe(200);
  });

  it('latency is abandoned when the client aborts', async () => {
    auth.faults.latency(10_000);
    await expect(inProcess(AbortSignal.timeout(20))).rejects.toThrow();
  });

  it('refuses nonsense counts', () => {
    expect(() => auth.faults.fail(-1)).toThrow(RangeError);
    expect(() => auth.faults.drop(1.5)).toThrow(RangeError);
  });
});
