import { describe, expect, it } from 'vitest';
import { outboundPolicy } from './outbound.js';
import { replayGuard } from './replay-guard.js';
import { useAuthServer } from './test/fixture.js';

const f = useAuthServer();
const API = 'https://api.acme.com';
const policy = outboundPolicy([API]);
const refused = (url = ''): Response => {
  const response = new Response(null, {
    status: 401,
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });
  if (url) Object.defineProperty(response, 'url', { value: url });
  return response;
};

/** One call under the rule, against an API that refuses `refuses(url, token)`; returns the final status. */
async function call(
  guard: ReturnType<typeof replayGuard>,
  source: ReturnType<typeof f.source>,
  url: string,
  refuses: (token: string) => boolean,
): Promise<number> {
  const answer = (token: string) => (refuses(token) ? refused() : new Response('ok'));
  const token = (await source.getToken()).accessToken;
  const first = answer(token);
  if (!guard.shouldReplay(first, url, token, true)) return first.status;
  const fresh = (await source.getToken()).accessToken;
  const second = answer(fresh);
  guard.replayed(second, url, fresh);
  return second.status;
}

describe('replayGuard: the 401 rule', () => {
  it('a URL that always answers 401 costs one forced refresh, however many calls hit it', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    for (let i = 0; i < 20; i++)
      expect(await call(guard, source, `${API}/admin?i=${i}`, () => true)).toBe(401);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('100 concurrent calls to such a URL cost one forced refresh too', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    await source.getToken();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => call(guard, source, `${API}/admin`, () => true)),
    );
    expect(statuses).toEqual(Array.from({ length: 100 }, () => 401));
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('a revoked token is replaced on its first 401, also right after the previous replacement', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    const revoked = new Set([(await source.getToken()).accessToken]);
    expect(await call(guard, source, `${API}/a`, (t) => revoked.has(t))).toBe(200);
    expect(f.auth.tokenRequests).toBe(2);
    revoked.add((await source.getToken()).accessToken);
    expect(await call(guard, source, `${API}/a`, (t) => revoked.has(t))).toBe(200);
    expect(f.auth.tokenRequests).toBe(3);
  });

  it('a token proven by a refusing URL is still replaced on a 401 from another URL', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    expect(await call(guard, source, `${API}/admin`, () => true)).toBe(401);
    const proven = (await source.getToken()).accessToken;
    expect(await call(guard, source, `${API}/users`, (t) => t === proven)).toBe(200);
    expect(f.auth.tokenRequests).toBe(3);
  });

  it('never invalidates for a 401 from a URL the policy does not match, or a body it will not replay', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    const token = (await source.getToken()).accessToken;
    expect(guard.shouldReplay(refused('https://elsewhere.example/x'), `${API}/x`, token, true)).toBe(false);
    expect(guard.shouldReplay(refused(), `${API}/x`, token, false)).toBe(false);
    expect(guard.shouldReplay(new Response('', { status: 403 }), `${API}/x`, token, true)).toBe(false);
    expect((await source.getToken()).accessToken).toBe(token);
    expect(f.auth.tokenRequests).toBe(1);
  });

  it('stays bounded: many refusing URLs cost at most one forced refresh per token once 32 are known', async () => {
    const source = f.source();
    const guard = replayGuard(source, policy);
    for (let i = 0; i < 100; i++) expect(await call(guard, source, `${API}/p${i}`, () => true)).toBe(401);
    // 32 URLs learnt, one forced refresh each, then the last proven token stays.
    expect(f.auth.tokenRequests).toBe(33);
  });
});
