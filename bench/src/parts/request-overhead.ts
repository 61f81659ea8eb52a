import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import { type Contender, compare } from '../harness.js';
import { grantkitSource } from '../peers.js';
import type { Config, PartResult, Row } from '../result.js';
import { CLIENT_ID, CLIENT_SECRET, startLoopback } from '../servers.js';
import { spreadPercent } from '../stats.js';

/** A way to send one authenticated GET to the resource server. */
export interface Sender {
  readonly name: string;
  readonly label: string;
  readonly grantkit?: boolean;
  send(url: string): Promise<Response>;
}

/** Extra senders from adapter packages (added when they are built). */
export type SenderFactory = (tokenUrl: string, apiUrl: string) => Promise<Sender | undefined>;

export async function consumed(response: Promise<Response>): Promise<void> {
  const res = await response;
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`resource server answered ${res.status}`);
}

/** `width` requests in flight at a time until `count` have completed. */
export function pool(send: () => Promise<void>, count: number, width: number): () => Promise<void> {
  return async () => {
    let started = 0;
    await Promise.all(
      Array.from({ length: Math.min(width, count) }, async () => {
        while (started < count) {
          started++;
          await send();
        }
      }),
    );
  };
}

/**
 * Part 2: what an authenticated request costs over plain fetch with a fixed header, against the
 * JWT-verifying resource server on loopback, sequential and 64 concurrent, interleaved A/B.
 */
export async function requestOverhead(
  config: Config,
  extra: readonly SenderFactory[] = [],
): Promise<PartResult> {
  const loopback = await startLoopback();
  try {
    const url = `${loopback.apiUrl}/echo`;
    const source = grantkitSource(loopback.tokenUrl);
    const fixed = `Bearer ${(await source.getToken()).accessToken}`;
    const client = new OAuth2Client({
      tokenEndpoint: loopback.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authenticationMethod: 'client_secret_basic',
    });
    const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    const senders: Sender[] = [
      {
        name: 'plain',
        label: 'plain `fetch` + fixed header (baseline)',
        send: (u) => fetch(u, { headers: { authorization: fixed } }),
      },
      {
        name: 'core-by-hand',
        label: 'Grantkit core by hand: `getToken()` + `fetch`',
        send: async (u) => {
          const token = await source.getToken();
          return fetch(u, { headers: { authorization: `Bearer ${token.accessToken}` } });
        },
      },
      {
        name: 'oauth2-client',
        label: '@badgateway/oauth2-client `OAuth2Fetch.fetch`',
        send: (u) => wrapper.fetch(u),
      },
    ];
    for (const factory of extra) {
      const sender = await factory(loopback.tokenUrl, loopback.apiUrl);
      if (sender) senders.push(sender);
    }
    const rows: Row[] = [];
    const shapes = [
      { width: 1, label: 'sequential' },
      { width: 64, label: '64 concurrent' },
    ];
    const perRound = config.quick ? 100 : 500;
    const rounds = config.quick ? 3 : 11;
    for (const shape of shapes) {
      const contenders: Contender[] = senders.map((s) => ({
        name: s.name,
        run: pool(() => consumed(s.send(url)), perRound, shape.width),
      }));
      const perRoundValues = new Map<string, number[]>();
      const ns = await compare(
        contenders,
        {
          iterations: 1,
          rounds,
          warmup: config.quick ? 1 : 3,
        },
        perRoundValues,
      );
      const base = ns.get('plain') as number;
      for (const s of senders) {
        const perRequest = (ns.get(s.name) as number) / perRound / 1000;
        const ratio = (ns.get(s.name) as number) / base;
        rows.push({
          measurement: `authenticated GET, ${shape.label}`,
          subject: s.label,
          value: perRequest,
          unit: 'µs/req',
          ratio,
          ...(s.grantkit && { target: '≤ 1.03× plain', pass: ratio <= 1.03 }),
          note: `rounds IQR ±${(spreadPercent(perRoundValues.get(s.name) ?? []) / 2).toFixed(0)} %`,
        });
      }
    }
    return {
      id: 'request-overhead',
      title: '2. Authenticated request overhead — through the adapter vs plain fetch',
      rows,
      notes: [
        `GET /echo on the fake resource server (it verifies the RS256 JWT on every request); each round sends ${perRound.toLocaleString('en')} requests per contender (one at a time, or 64 in flight), contenders interleaved in rotated order, ${rounds} rounds; value = median µs per request; ratio against plain fetch with a fixed valid token.`,
        'Every contender sends the same valid token, so the server does the same work; the difference is the client-side cost of getting and attaching it.',
      ],
    };
  } finally {
    await loopback.close();
  }
}
