import { describe, expect, it } from 'vitest';
import { type AdapterResult, formatReport, problemsOf, transitionChain } from './report.js';
import { AdapterTally } from './tally.js';

const tallyWith = (calls: number, failed = 0): AdapterTally => {
  const tally = new AdapterTally('fetch', 0);
  for (let i = 0; i < calls; i += 1) {
    const path = '/coaching/v1/sessions';
    tally.record(
      i < failed
        ? { startedAt: i, path, status: 503, ms: 1, problem: 'HTTP 503' }
        : { startedAt: i, path, status: 200, ms: 1 },
    );
  }
  return tally;
};

const result = (overrides: Partial<AdapterResult>): AdapterResult => ({
  name: 'fetch',
  via: '@grantkit/fetch authFetch',
  tally: tallyWith(20),
  tokenRequests: 4,
  replays: 1,
  ...overrides,
});

describe('problemsOf', () => {
  it('accepts a run with cached tokens, one replay and no failures', () => {
    expect(problemsOf(result({}))).toEqual([]);
  });

  it('names failed calls, a missing replay and a cache that does not cache', () => {
    const problems = problemsOf(result({ tally: tallyWith(10, 1), replays: 0, tokenRequests: 9 }));
    expect(problems).toEqual([
      'GET /coaching/v1/sessions failed: HTTP 503',
      'the revoked token was never answered 401 and replayed',
      '9 token requests for 10 calls: the cache is not caching',
    ]);
  });
});

describe('formatReport', () => {
  it('prints a row per adapter and its transitions in seconds', () => {
    const tally = tallyWith(3);
    tally.onEvent({ type: 'transition', from: 'empty', to: 'acquiring', at: 10 });
    tally.onEvent({ type: 'transition', from: 'acquiring', to: 'valid', at: 250 });
    const text = formatReport('title', [result({ tally })]);
    expect(text).toMatch(/^ {2}fetch +@grantkit\/fetch authFetch +3 +3 +4 +1$/m);
    expect(text).toContain('    empty → acquiring 0.01s → valid 0.25s');
  });

  it('wraps long chains', () => {
    const transitions = Array.from({ length: 12 }, (_, i) => ({
      at: i * 1000,
      from: 'valid' as const,
      to: 'refreshing' as const,
    }));
    const lines = transitionChain(transitions, '  ', 60).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });
});
