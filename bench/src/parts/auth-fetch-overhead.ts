import type { TokenSource } from '@grantkit/core';
import { type Contender, compare } from '../harness.js';
import { grantkitSource } from '../peers.js';
import type { Config, PartResult } from '../result.js';
import { startLoopback } from '../servers.js';

type Transport = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Builds `authFetch(source, { origins: [origin], fetch: transport })` (from the adapter package). */
export type AuthFetchFactory = (source: TokenSource, origin: string, transport: Transport) => Transport;

/**
 * Part 2b: `authFetch`'s own cost per request. The transport is in process and answers at once, so what is
 * left is the wrapper's work (origin check, `getToken`, header, 401 check) against calling the same
 * transport with a fixed header.
 */
export async function authFetchOverhead(config: Config, build: AuthFetchFactory): Promise<PartResult> {
  const loopback = await startLoopback();
  try {
    const source = grantkitSource(loopback.tokenUrl);
    const fixed = `Bearer ${(await source.getToken()).accessToken}`;
    const answer = Promise.resolve(new Response(null, { status: 200 }));
    const transport: Transport = () => answer;
    const origin = 'https://api.acme.example';
    const url = `${origin}/v1/sessions`;
    const api = build(source, origin, transport);
    const contenders: Contender[] = [
      { name: 'fixed', run: () => transport(url, { headers: { authorization: fixed } }) },
      { name: 'authFetch', run: () => api(url) },
    ];
    const options = config.quick
      ? { iterations: 20_000, rounds: 5, warmup: 20_000 }
      : { iterations: 200_000, rounds: 15, warmup: 200_000 };
    const ns = await compare(contenders, options);
    const base = ns.get('fixed') as number;
    const wrapped = ns.get('authFetch') as number;
    const own = (wrapped - base) / 1000;
    return {
      id: 'auth-fetch-overhead',
      title: "2b. authFetch's own cost per request (in-process transport)",
      rows: [
        {
          measurement: 'request, transport answers at once',
          subject: 'transport with a fixed `Authorization` header (baseline)',
          value: base / 1000,
          unit: 'µs/request',
          ratio: 1,
        },
        {
          measurement: 'request, transport answers at once',
          subject: '`authFetch` over the same transport',
          value: wrapped / 1000,
          unit: 'µs/request',
          ratio: wrapped / base,
        },
        {
          measurement: 'request, transport answers at once',
          subject: "`authFetch`'s own cost (difference)",
          value: own,
          unit: 'µs/request',
          target: '≤ 1.5 µs',
          pass: own <= 1.5,
        },
      ],
      notes: [
        `${options.rounds} interleaved rounds of ${options.iterations.toLocaleString('en')} sequential awaited requests (after ${options.warmup.toLocaleString('en')} warm-up requests); value = median µs per request.`,
        'The transport returns one settled promise of one `Response`: no network, no body. The difference is what `authFetch` adds per request: the origin check, a warm `getToken()`, building the headers with the token, and the status check of core’s 401 rule.',
      ],
    };
  } finally {
    await loopback.close();
  }
}
