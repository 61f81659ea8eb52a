import { authInterceptors } from '@grantkit/axios';
import type { TokenSource, TokenState } from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import { authHooks } from '@grantkit/ky';
import { authMiddleware } from '@grantkit/openapi-fetch';
import { listen, listenNode } from '@grantkit/testing/node';
import { authInterceptor } from '@grantkit/undici';
import axios from 'axios';
import ky from 'ky';
import createClient from 'openapi-fetch';
import { Agent, fetch as undiciFetch } from 'undici';
import { type CoachingApi, createCoachingApi } from './coaching-api.js';
import { type EmbeddedAuth, startEmbeddedAuth } from './embedded-auth.js';
import { createExpressService } from './express-service.js';
import { createFastifyService } from './fastify-service.js';
import { createHonoService } from './hono-service.js';
import { ADAPTERS, type AdapterName, clientIdOf, DEMO_DOMAIN, DEMO_SECRET } from './realm.js';
import type { Resources } from './resources.js';
import type { AdapterUnderTest } from './scenario.js';
import { demoSource } from './sources.js';
import { AdapterTally, type IsolateTally, type Transition } from './tally.js';
import { startWorker, type WorkerIsolate } from './worker-runtime.js';

/** Everything the demo runs on loopback, with one adapter per row of the report. */
export interface DemoStack {
  readonly embedded: EmbeddedAuth;
  readonly api: CoachingApi;
  readonly apiUrl: string;
  readonly adapters: readonly AdapterUnderTest[];
  /** The in-process token sources by adapter (the worker's lives inside workerd). */
  readonly sources: ReadonlyMap<AdapterName, TokenSource>;
  /** The worker's first isolate (the one the cold call goes to). */
  readonly workerUrl: string;
  /** The worker's two isolates: the worker adapter's calls go to them in turn. */
  readonly workerIsolates: readonly WorkerIsolate[];
  /** What each isolate recorded inside workerd: where its tokens came from, and its state transitions. */
  collectWorkerIsolates(): Promise<IsolateTally[]>;
  /** Each isolate's token cache state, read from inside workerd. */
  workerStates(): Promise<{ readonly name: string; readonly state: TokenState }[]>;
}

const GET = (url: string): Promise<Response> => fetch(url);

const getJson = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

/**
 * Starts the authorization server, the Coaching API, the Hono and Express services and the worker, each on
 * a free 127.0.0.1 port; registers every one of them with `resources` so it is closed on exit.
 */
export async function startStack(
  lifetimeSeconds: number,
  startedAt: number,
  resources: Resources,
): Promise<DemoStack> {
  const embedded = await startEmbeddedAuth(lifetimeSeconds);
  resources.add(() => embedded.server.close());
  const api = createCoachingApi(embedded.auth, DEMO_DOMAIN);
  const apiServer = await listen(api);
  resources.add(() => apiServer.close());
  const apiUrl = apiServer.url;

  const tallies = new Map(ADAPTERS.map((a) => [a.name, new AdapterTally(a.name, startedAt)]));
  const tally = (name: AdapterName): AdapterTally => tallies.get(name) as AdapterTally;
  const sources = new Map<AdapterName, TokenSource>();
  for (const { name } of ADAPTERS.filter((a) => a.name !== 'worker')) {
    sources.set(
      name,
      demoSource({ authOrigin: embedded.origin, clientId: clientIdOf(name), onEvent: tally(name).onEvent }),
    );
  }
  const source = (name: AdapterName): TokenSource => sources.get(name) as TokenSource;

  const hono = await listen(
    createHonoService({ source: source('hono'), proxySource: source('hono proxy'), apiUrl }),
  );
  resources.add(() => hono.close());
  const expressServer = await listenNode(
    createExpressService({ source: source('express'), proxySource: source('express proxy'), apiUrl }),
  );
  resources.add(() => expressServer.close());
  const fastify = await createFastifyService({
    source: source('fastify'),
    proxySource: source('fastify proxy'),
    apiUrl,
  });
  const fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  resources.add(() => fastify.close());
  const worker = await startWorker({
    VERINT_DOMAIN: DEMO_DOMAIN,
    AUTH_ORIGIN: embedded.origin,
    CLIENT_ID: clientIdOf('worker'),
    CLIENT_SECRET: DEMO_SECRET,
    COACHING_API: apiUrl,
  });
  resources.add(() => worker.close());
  const [firstIsolate] = worker.isolates;
  let nextIsolate = 0;
  const isolateInTurn = (): WorkerIsolate => {
    const isolate = worker.isolates[nextIsolate % worker.isolates.length] as WorkerIsolate;
    nextIsolate += 1;
    return isolate;
  };

  const authorizedFetch = authFetch(source('fetch'), { origins: [apiUrl] });
  const kyClient = ky.create({
    prefixUrl: apiUrl,
    hooks: authHooks(source('ky'), { origins: [apiUrl] }),
    // The 401 replay is one ky retry (`ky.retry()`); nothing else is retried, so every call shows as it was.
    retry: { limit: 1, statusCodes: [] },
    throwHttpErrors: false,
  });
  // Every 4xx is an answer to show, not an exception.
  const axiosClient = axios.create({ baseURL: apiUrl, validateStatus: () => true, responseType: 'text' });
  authInterceptors(axiosClient, source('axios'), { origins: [apiUrl] });
  // Its own dispatcher: the global one (Node's fetch) stays as it is for the rest of the demo.
  const dispatcher = new Agent().compose(authInterceptor(source('undici'), { origins: [apiUrl] }));
  resources.add(() => dispatcher.close());
  const openapi = createClient<Record<string, never>>({ baseUrl: apiUrl });
  openapi.use(authMiddleware(source('openapi-fetch'), { origins: [apiUrl] }));
  const calls: Record<AdapterName, (path: string) => Promise<Response>> = {
    fetch: (path) => authorizedFetch(`${apiUrl}${path}`),
    ky: (path) => kyClient.get(path.slice(1)),
    hono: (path) => GET(`${hono.url}${path}`),
    express: (path) => GET(`${expressServer.url}${path}`),
    'hono proxy': (path) => GET(`${hono.url}/proxy${path}`),
    'express proxy': (path) => GET(`${expressServer.url}/proxy${path}`),
    // The cold call goes to the first isolate, the concurrent calls after it to both.
    worker: (path) => GET(`${isolateInTurn().url}${path}`),
    axios: async (path) => {
      const { status, data, headers } = await axiosClient.get<string>(path);
      return new Response(data, { status, headers: { 'content-type': String(headers['content-type']) } });
    },
    undici: async (path) => (await undiciFetch(`${apiUrl}${path}`, { dispatcher })) as unknown as Response,
    'openapi-fetch': async (path) =>
      (await openapi.GET(path as never, { parseAs: 'stream' } as never)).response,
    fastify: (path) => GET(`${fastifyUrl}${path}`),
    'fastify proxy': (path) => GET(`${fastifyUrl}/proxy${path}`),
  };

  return {
    embedded,
    api,
    apiUrl,
    sources,
    workerUrl: firstIsolate.url,
    workerIsolates: worker.isolates,
    adapters: ADAPTERS.map((a) => ({
      name: a.name,
      clientId: a.clientId,
      tally: tally(a.name),
      call: calls[a.name],
    })),
    workerStates: () =>
      Promise.all(
        worker.isolates.map(async ({ name, url }) => ({
          name,
          state: await getJson<TokenState>(`${url}/__demo/state`),
        })),
      ),
    collectWorkerIsolates: () =>
      Promise.all(
        worker.isolates.map(async ({ name, url }) => {
          const [origins, transitions] = await Promise.all([
            getJson<{ requested: number; fromStore: number }>(`${url}/__demo/store`),
            getJson<Transition[]>(`${url}/__demo/transitions`),
          ]);
          return { name, ...origins, transitions: transitions.map((t) => ({ ...t, at: t.at - startedAt })) };
        }),
      ),
  };
}
