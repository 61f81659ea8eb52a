import { ADAPTERS } from './realm.js';
import { type AdapterResult, formatReport, problemsOf } from './report.js';
import type { Resources } from './resources.js';
import { runScenario } from './scenario.js';
import { startStack } from './stack.js';

/** Token lifetime of the embedded run: short, so refresh-ahead and expiry happen within seconds. */
const LIFETIME_SECONDS = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The outcome of a run: the printable report, and the problems that make it fail (none: exit 0). */
export interface RunOutcome {
  readonly report: string;
  readonly problems: readonly string[];
}

/**
 * Starts everything, runs the scenario through all six adapters at once, and reports per adapter the calls,
 * the token requests and the `401` replays, and every token cache's state transitions.
 */
export async function runEmbedded(resources: Resources, log: (line: string) => void): Promise<RunOutcome> {
  const startedAt = Date.now();
  log(
    'Starting an authorization server, the Coaching API, Hono, Express and Fastify services and a worker in workerd (two isolates sharing a Durable Object)...',
  );
  const stack = await startStack(LIFETIME_SECONDS, startedAt, resources);
  // Every demo client starts short-lived; set here the way a test shortens one client's tokens.
  for (const adapter of ADAPTERS) stack.embedded.auth.setLifetime(adapter.clientId, LIFETIME_SECONDS);
  log(
    `Started on loopback in ${Date.now() - startedAt} ms: authorization server ${stack.embedded.origin}/auth/realms/demo, Coaching API ${stack.apiUrl}, worker isolates ${stack.workerIsolates.map((isolate) => isolate.url).join(' and ')}`,
  );
  log(
    `Driving fetch, ky, axios, undici, openapi-fetch, Hono, Express, Fastify, their proxies and the worker at once: cold start, concurrency, a revoked token, calls across a ${LIFETIME_SECONDS} s token expiry, an idle lapse...`,
  );

  const controls = {
    revokeLatest: (clientId: string) => stack.embedded.revokeLatest(clientId),
    tokenRequests: (clientId: string) => stack.embedded.auth.tokenRequestsFor(clientId),
    sleep,
    now: () => Date.now(),
  };
  const timing = {
    steadyMs: LIFETIME_SECONDS * 1_000 + 500,
    steadyEveryMs: 200,
    idleMs: LIFETIME_SECONDS * 1_000 + 300,
  };
  await Promise.all(stack.adapters.map((adapter) => runScenario(adapter, controls, timing)));
  const isolates = await stack.collectWorkerIsolates();

  const results: AdapterResult[] = stack.adapters.map((adapter) => {
    const info = ADAPTERS.find((a) => a.name === adapter.name);
    return {
      name: adapter.name,
      via: info?.via ?? adapter.name,
      tally: adapter.tally,
      tokenRequests: stack.embedded.auth.tokenRequestsFor(adapter.clientId),
      replays: stack.api.rejectedFor(adapter.clientId),
      ...(adapter.name === 'worker' ? { isolates } : {}),
    };
  });
  const problems = results.flatMap((result) => problemsOf(result).map((p) => `${result.name}: ${p}`));
  const title = `Grantkit demo — embedded Keycloak-compatible server, realm "demo", ${LIFETIME_SECONDS} s tokens, ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  return { report: formatReport(title, results), problems };
}
