import { describe, expect, it } from 'vitest';
import type { TokenEvent, TokenSource } from './index.js';
import { useAuthServer } from './test/fixture.js';

const f = useAuthServer();

/** A source whose events are recorded with the source each one names. */
function recorded(options: Parameters<typeof f.source>[0] = {}) {
  const seen: { event: TokenEvent; from: TokenSource }[] = [];
  const source = f.source({ ...options, onEvent: (event, from) => seen.push({ event, from }) });
  return { source, seen, events: () => seen.map(({ event }) => event) };
}

describe('events', () => {
  it('tie a token request to its response by fetchId, name the endpoint and the client authentication', async () => {
    const { source, seen, events } = recorded();
    await source.getToken();
    const request = events().find((e) => e.type === 'token-request');
    const response = events().find((e) => e.type === 'token-response');
    expect(request).toEqual({
      type: 'token-request',
      fetchId: expect.any(Number),
      attempt: 1,
      background: false,
      endpoint: f.tokenUrl,
      clientAuth: 'client_secret_basic',
      at: f.clock.now(),
    });
    expect(response).toMatchObject({ type: 'token-response', fetchId: request?.fetchId, fromStore: false });
    expect(seen.every(({ from }) => from === source)).toBe(true);
  });

  it('tie a failed token request to its error by fetchId', async () => {
    f.auth.faults.fail(1, { status: 503 });
    const { source, events } = recorded({ retry: { attempts: 1 }, clientAuth: 'client_secret_post' });
    await expect(source.getToken()).rejects.toMatchObject({ code: 'GRANTKIT_OAUTH_ERROR' });
    const [request, error] = events().filter((e) => e.type === 'token-request' || e.type === 'token-error');
    expect(request).toMatchObject({ type: 'token-request', clientAuth: 'client_secret_post' });
    expect(error).toMatchObject({
      type: 'token-error',
      fetchId: request?.type === 'token-request' && request.fetchId,
    });
  });

  it('give each acquisition its own fetchId, and report nothing for a cache hit', async () => {
    const { source, events } = recorded({ refreshAheadMs: 0 });
    await source.getToken();
    const afterFirst = events().length;
    await source.getToken();
    expect(events()).toHaveLength(afterFirst);
    f.clock.advance(3_600_000);
    await source.getToken();
    const ids = events().flatMap((e) => (e.type === 'token-request' ? [e.fetchId] : []));
    expect(new Set(ids).size).toBe(2);
  });
});
