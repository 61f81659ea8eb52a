import { authInterceptors } from '@grantkit/axios';
import { authMiddleware } from '@grantkit/openapi-fetch';
import { authInterceptor } from '@grantkit/undici';
import axios from 'axios';
import createClient from 'openapi-fetch';
import { Agent, request } from 'undici';
import { type Contender, compare } from '../harness.js';
import { grantkitSource } from '../peers.js';
import type { Config, PartResult, Row } from '../result.js';
import { startLoopback } from '../servers.js';
import { spreadPercent } from '../stats.js';
import { pool } from './request-overhead.js';

/**
 * One client library, sent to the same URL three ways: with a fixed header; through the library's own
 * extension point doing nothing but set that header (what the idiom costs whoever uses it); and through
 * its Grantkit adapter.
 */
interface ClientPair {
  readonly client: string;
  readonly adapter: string;
  /** What the no-op extension is, in the library's words. */
  readonly idiom: string;
  readonly fixed: (url: string) => Promise<void>;
  readonly noop: (url: string) => Promise<void>;
  readonly authed: (url: string) => Promise<void>;
}

const ok = (status: number): void => {
  if (status !== 200) throw new Error(`resource server answered ${status}`);
};

async function pairs(
  tokenUrl: string,
  apiUrl: string,
): Promise<{ pairs: ClientPair[]; close: () => Promise<void> }> {
  const source = grantkitSource(tokenUrl);
  const header = `Bearer ${(await source.getToken()).accessToken}`;
  const origins = [apiUrl];

  const plainAxios = axios.create({ headers: { authorization: header } });
  const noopAxios = axios.create();
  noopAxios.interceptors.request.use(async (config) => {
    config.headers.set('authorization', header);
    return config;
  });
  noopAxios.interceptors.response.use(
    (response) => response,
    (error: unknown) => Promise.reject(error),
  );
  const authedAxios = axios.create();
  authInterceptors(authedAxios, source, { origins });

  const plainAgent = new Agent();
  const noopAgent = new Agent().compose(
    (dispatch) => (options, handler) =>
      dispatch({ ...options, headers: { ...(options.headers as object), authorization: header } }, handler),
  );
  const authedAgent = new Agent().compose(authInterceptor(source, { origins }));
  const undiciGet = async (url: string, dispatcher: typeof plainAgent | typeof authedAgent, headers = {}) => {
    const response = await request(url, { dispatcher, headers });
    await response.body.arrayBuffer();
    ok(response.statusCode);
  };

  const plainOpenapi = createClient<Record<string, never>>({ headers: { authorization: header } });
  const noopOpenapi = createClient<Record<string, never>>();
  noopOpenapi.use({
    onRequest({ request }) {
      request.headers.set('authorization', header);
      return request;
    },
  });
  const authedOpenapi = createClient<Record<string, never>>();
  authedOpenapi.use(authMiddleware(source, { origins }));
  const openapiGet = async (client: typeof plainOpenapi, url: string) => {
    const { response } = await client.GET(url as never);
    ok(response.status);
  };

  return {
    pairs: [
      {
        client: 'axios',
        adapter: '@grantkit/axios `authInterceptors`',
        idiom: 'an async request interceptor and a response interceptor',
        fixed: async (url) => ok((await plainAxios.get(url)).status),
        noop: async (url) => ok((await noopAxios.get(url)).status),
        authed: async (url) => ok((await authedAxios.get(url)).status),
      },
      {
        client: 'undici `request`',
        adapter: '@grantkit/undici `authInterceptor`',
        idiom: 'a composed interceptor',
        fixed: (url) => undiciGet(url, plainAgent, { authorization: header }),
        noop: (url) => undiciGet(url, noopAgent),
        authed: (url) => undiciGet(url, authedAgent),
      },
      {
        client: 'openapi-fetch',
        adapter: '@grantkit/openapi-fetch `authMiddleware`',
        idiom: 'a middleware',
        fixed: (url) => openapiGet(plainOpenapi, url),
        noop: (url) => openapiGet(noopOpenapi, url),
        authed: (url) => openapiGet(authedOpenapi, url),
      },
    ],
    close: async () => {
      await Promise.all([plainAgent.close(), authedAgent.close()]);
    },
  };
}

/**
 * Part 2b: what each client adapter adds per request over the same client sending a fixed header, against
 * the JWT-verifying resource server on loopback, in one run, interleaved A/B per client.
 */
export async function clientOverhead(config: Config): Promise<PartResult> {
  const loopback = await startLoopback();
  const clients = await pairs(loopback.tokenUrl, loopback.apiUrl);
  try {
    const url = `${loopback.apiUrl}/echo`;
    const perRound = config.quick ? 100 : 500;
    const rounds = config.quick ? 3 : 11;
    const rows: Row[] = [];
    for (const pair of clients.pairs) {
      const contenders: Contender[] = [
        { name: 'fixed', run: pool(() => pair.fixed(url), perRound, 1) },
        { name: 'noop', run: pool(() => pair.noop(url), perRound, 1) },
        { name: 'adapter', run: pool(() => pair.authed(url), perRound, 1) },
      ];
      const perRoundValues = new Map<string, number[]>();
      const ns = await compare(
        contenders,
        { iterations: 1, rounds, warmup: config.quick ? 1 : 3 },
        perRoundValues,
      );
      const base = ns.get('fixed') as number;
      for (const [name, subject] of [
        ['fixed', `${pair.client} + fixed header (baseline)`],
        ['noop', `${pair.client} + ${pair.idiom} that only sets the fixed header (the idiom's own cost)`],
        ['adapter', `${pair.client} + ${pair.adapter}`],
      ] as const) {
        const ratio = (ns.get(name) as number) / base;
        rows.push({
          measurement: `authenticated GET through ${pair.client}, sequential`,
          subject,
          value: (ns.get(name) as number) / perRound / 1000,
          unit: 'µs/req',
          ratio,
          ...(name === 'adapter' && { target: '≤ 1.05× same client', pass: ratio <= 1.05 }),
          note: `rounds IQR ±${(spreadPercent(perRoundValues.get(name) ?? []) / 2).toFixed(0)} %`,
        });
      }
    }
    return {
      id: 'client-overhead',
      title: '2b. Client adapters — each client through its adapter vs the same client with a fixed header',
      rows,
      notes: [
        `GET /echo on the fake resource server; per client, the adapter and the same client sending the same valid token as a fixed header are interleaved, ${rounds} rounds of ${perRound.toLocaleString('en')} sequential requests; value = median µs per request; ratio against that client's own baseline.`,
        "The no-op row is the client's own extension point doing nothing but set the same header: what any interceptor or middleware costs in that client, which the adapter cannot go below (axios runs async interceptors through a promise chain, openapi-fetch's middleware path builds per-call options).",
      ],
    };
  } finally {
    await clients.close();
    await loopback.close();
  }
}
