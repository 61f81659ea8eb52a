import { createManualClock } from '@grantkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, settle, useAuthServer } from './test/fixture.js';

// The fixture gives every test a clock of its own, hence a default store of its own: within a test, sources
// built without a `store` option share one, as every source on the default clock does in a process.
const f = useAuthServer();
afterEach(() => f.auth.setClientSecret('svc', SECRET)); // one test rotates it

const fromStore = (): boolean[] =>
  f.events.flatMap((event) => (event.type === 'token-response' ? [event.fromStore] : []));

describe('sources with identical configurations and no store option', () => {
  it('share one token request between concurrent cold callers', async () => {
    const [a, b] = [f.source(), f.source()];
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(f.auth.tokenRequests).toBe(1);
  });

  it('share one token between sequential callers: the later source takes it from the store', async () => {
    const first = await f.source().getToken();
    const later = await f.source().getToken(); // built after the first source had its token
    expect(later.accessToken).toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(1);
    expect(fromStore()).toEqual([false, true]);
  });

  it('refresh ahead once between them: the other source takes the refreshed token from the store', async () => {
    const [a, b] = [f.source({ random: () => 0 }), f.source({ random: () => 0 })];
    const first = await a.getToken();
    expect((await b.getToken()).accessToken).toBe(first.accessToken);
    f.clock.advance(3_600_000 - 30_000 - 300_000); // the start of the refresh-ahead window
    expect((await a.getToken()).accessToken).toBe(first.accessToken); // served at once, refreshed behind
    await settle(50);
    expect(f.auth.tokenRequests).toBe(2);
    expect((await b.getToken()).accessToken).toBe(first.accessToken); // b's refresh reads the store
    await settle(50);
    const [fromA, fromB] = [await a.getToken(), await b.getToken()];
    expect(fromA.accessToken).not.toBe(first.accessToken);
    expect(fromB.accessToken).toBe(fromA.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('do not share with a different secret', async () => {
    const first = await f.source().getToken();
    f.auth.setClientSecret('svc', `${SECRET}-rotated`);
    const other = await f.source({ clientSecret: `${SECRET}-rotated` }).getToken();
    expect(other.accessToken).not.toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('do not share across clocks: a test with a clock of its own is isolated by construction', async () => {
    const elsewhere = createManualClock(f.clock.now());
    const [a, b] = [f.source(), f.source({ clock: elsewhere })];
    const [one, two] = await Promise.all([a.getToken(), b.getToken()]);
    expect(one.accessToken).not.toBe(two.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
  });

  it('a source that invalidated a token never takes it back from the store; the other keeps its own', async () => {
    const [a, b] = [f.source(), f.source()];
    const first = await a.getToken();
    expect((await b.getToken()).accessToken).toBe(first.accessToken);
    f.clock.advance(1_000); // a store offers a token only when it expires later than the one a source had
    a.invalidate(first.accessToken);
    const second = await a.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(f.auth.tokenRequests).toBe(2);
    // b was not told: it serves its token until it learns otherwise itself (its own 401).
    expect((await b.getToken()).accessToken).toBe(first.accessToken);
    b.invalidate(first.accessToken);
    expect((await b.getToken()).accessToken).toBe(second.accessToken); // the newer one, from the store
    expect(f.auth.tokenRequests).toBe(2);
    f.clock.advance(1_000);
    a.invalidate(second.accessToken);
    b.invalidate(second.accessToken);
    const [third, fromB] = await Promise.all([a.getToken(), b.getToken()]);
    expect(third.accessToken).not.toBe(second.accessToken);
    expect(fromB.accessToken).toBe(third.accessToken); // one request between them, as for cold callers
    expect(f.auth.tokenRequests).toBe(3);
  });
});
