/**
 * A worker the way people write them: a token source per client at module scope, reused by every request
 * the isolate serves. Query: `client` (whose source), `advance` (ms added to that source's clock),
 * `waitMs` (this request gives up waiting for a token after that long), `timeoutMs` (the source's
 * token request timeout, on creation). Answers what the API saw and how often `ctx.waitUntil` was used.
 */
import { type Clock, clientCredentials, isGrantkitError } from '@grantkit/core';

interface Env {
  readonly TOKEN_URL: string;
  readonly API_URL: string;
  readonly CLIENT_SECRET: string;
}

interface Context {
  waitUntil(promise: Promise<unknown>): void;
}

interface Entry {
  readonly source: ReturnType<typeof clientCredentials>;
  offsetMs: number;
}

const sources = new Map<string, Entry>();

const sourceFor = (client: string, env: Env, timeoutMs: number | undefined): Entry => {
  let entry = sources.get(client);
  if (!entry) {
    const clock: Clock = {
      now: () => Date.now() + (entry?.offsetMs ?? 0),
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        }),
    };
    entry = {
      offsetMs: 0,
      source: clientCredentials({
        tokenUrl: env.TOKEN_URL,
        clientId: client,
        clientSecret: env.CLIENT_SECRET,
        allowInsecureRequests: true,
        clock,
        random: () => 0.5,
        ...(timeoutMs !== undefined && { timeoutMs }),
      }),
    };
    sources.set(client, entry);
  }
  return entry;
};

export default {
  async fetch(request: Request, env: Env, ctx: Context): Promise<Response> {
    const query = new URL(request.url).searchParams;
    const number = (name: string): number | undefined =>
      query.has(name) ? Number(query.get(name)) : undefined;
    const entry = sourceFor(query.get('client') ?? 'default', env, number('timeoutMs'));
    entry.offsetMs += number('advance') ?? 0;
    let waitUntilCalls = 0;
    const waitUntil = (promise: Promise<unknown>): void => {
      waitUntilCalls++;
      ctx.waitUntil(promise);
    };
    const waitMs = number('waitMs');
    try {
      const token = await entry.source.getToken({
        waitUntil,
        signal: waitMs === undefined ? undefined : AbortSignal.timeout(waitMs),
      });
      const api = await fetch(env.API_URL, { headers: { authorization: `Bearer ${token.accessToken}` } });
      const seen = (await api.json()) as { tokenId?: string };
      return Response.json({ tokenId: seen.tokenId, waitUntilCalls, status: entry.source.state.status });
    } catch (error) {
      const code = isGrantkitError(error) ? error.code : String((error as Error)?.name);
      return Response.json({ error: code, waitUntilCalls }, { status: 504 });
    }
  },
};
