import { describe, expect, it } from 'vitest';
import {
  type AdapterResult,
  formatReport,
  isolatesParagraph,
  problemsOf,
  transitionChain,
} from './report.js';
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

describe('problemsOf, for calls spread across isolates', () => {
  const isolate = (name: string, requested: number, fromStore: number) => ({
    name,
    requested,
    fromStore,
    transitions: [],
  });
  const coldStart = (tokenRequests: number): AdapterTally => {
    const tally = tallyWith(20);
    tally.coldStartTokenRequests = tokenRequests;
    return tally;
  };

  it('accepts one cold-start token request, with the second isolate served by the store', () => {
    const isolates = [isolate('a', 2, 1), isolate('b', 2, 2)];
    expect(problemsOf(result({ tally: coldStart(1), isolates }))).toEqual([]);
  });

  it('names isolates that did not share their token through the Durable Object', () => {
    const isolates = [isolate('a', 3, 0), isolate('b', 3, 0)];
    expect(problemsOf(result({ tally: coldStart(2), isolates }))).toEqual([
      '2 token requests for the cold start across 2 isolates: they did not share one token through the Durable Object',
      'b never took a token from the Durable Object',
    ]);
  });

  it('says in words that the isolates shared one token', () => {
    const isolates = [isolate('a', 2, 1), isolate('b', 1, 2)];
    const lines = isolatesParagraph(result({ name: 'worker', tally: coldStart(1), isolates }));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(108);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      'made one token request for both isolates: the two isolates shared one token through the Durable Object.',
    );
    expect(text).toContain('a requested 2 tokens and took 1 token from the Durable Object');
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
