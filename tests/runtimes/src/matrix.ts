import { type AuthServer, createAuthServer, createResourceServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioInput, ScenarioResult } from './scenario.js';
import { scenarios } from './scenarios.js';

/** One runtime, able to run a scenario of the matrix by name. */
export interface RuntimeHarness {
  start(): Promise<void>;
  run(name: string, input: ScenarioInput): Promise<ScenarioResult>;
  /** Runs many scenarios at once, in order (for runtimes that are slow to start). */
  runBatch?(runs: readonly { name: string; input: ScenarioInput }[]): Promise<ScenarioResult[]>;
  stop(): Promise<void>;
}

/** What the Node side arranges and checks around a scenario. */
interface Expectation {
  /** Token requests the scenario's client makes at the fake authorization server. */
  readonly tokenRequests: number;
  /** Its client secret, when the scenario is about the secret. */
  readonly secret?: string;
  readonly setup?: (auth: AuthServer) => void;
}

const REALM = 'acme';

export const expectations: Readonly<Record<string, Expectation>> = {
  'core: acquires a token and the API accepts it': { tokenRequests: 1 },
  'core: concurrent cold callers share one token request': { tokenRequests: 1 },
  'core: sequential calls reuse the cached token': { tokenRequests: 1 },
  'core: invalidate drops only the current token': { tokenRequests: 2 },
  'core: a secret with + : % and spaces works with Basic auth': { tokenRequests: 1, secret: 'p+ss: %wörd x' },
  'core: verintCoaching builds the documented /auth/realms URL': { tokenRequests: 1 },
  // The wrong secret has a '-', so its two Basic encodings differ: the raw one is tried once too.
  'core: a rejected secret is a typed OAuth error that never shows the secret': { tokenRequests: 2 },
  'core: a token never shows in JSON': { tokenRequests: 1 },
  'core: a hanging token endpoint fails with GRANTKIT_TIMEOUT': {
    tokenRequests: 1,
    setup: (auth) => auth.faults.hang(1),
  },
  'fetch: adds the token for the configured URL prefix only': { tokenRequests: 1 },
  'fetch: a 401 invalidates the token and replays once with the body intact': { tokenRequests: 1 },
  // Two sources of one configuration, one per rule: they share one token in the runtime.
  'fetch: the token never follows a redirect out of a URL-prefix rule': { tokenRequests: 1 },
  'hono: the middleware hands handlers a fetch that carries the token': { tokenRequests: 1 },
  'hono: authProxy forwards requests with the token': { tokenRequests: 1 },
  'ky: the hooks add the token and the API accepts it': { tokenRequests: 1 },
};

const names = Object.keys(expectations);
const clientId = (name: string): string => `client-${names.indexOf(name)}`;
const secret = (name: string): string => expectations[name]?.secret ?? `s3cret-${names.indexOf(name)}`;

/**
 * The shared matrix: starts the fake authorization and resource servers on loopback, then runs every
 * scenario (or the `only` ones) in `harness`, each with its own client so its token requests can be counted.
 */
export function describeRuntime(
  runtime: string,
  harness: RuntimeHarness,
  options: { readonly only?: readonly string[] } = {},
): void {
  describe(`inside ${runtime}`, () => {
    let auth: AuthServer;
    let authServer: RunningServer;
    let apiServer: RunningServer;

    beforeAll(async () => {
      auth = await createAuthServer({
        realms: {
          [REALM]: {
            clients: Object.fromEntries(names.map((name) => [clientId(name), { secret: secret(name) }])),
          },
        },
      });
      authServer = await listen(auth.app);
      apiServer = await listen(
        createResourceServer({
          auth,
          realm: REALM,
          // `?to=<path>`: a redirect under `/private/`, for the token-follows-redirect rules.
          routes: (app) => app.all('/private/redirect', (c) => c.redirect(c.req.query('to') ?? '/', 302)),
        }).app,
      );
      await harness.start();
    });

    afterAll(async () => {
      await harness.stop();
      await Promise.all([authServer?.close(), apiServer?.close()]);
    });

    it('covers every scenario of the matrix', () => {
      expect(Object.keys(scenarios).sort()).toEqual([...names].sort());
    });

    const inputFor = (name: string): ScenarioInput => ({
      authOrigin: authServer.url,
      realm: REALM,
      tokenUrl: auth.tokenUrl(authServer.url, REALM),
      apiUrl: `${apiServer.url}/echo`,
      clientId: clientId(name),
      clientSecret: secret(name),
    });
    const selected = options.only ?? names;
    // Scenarios that need no server-side setup run as one batch where the harness can.
    const batched = selected.filter((name) => !expectations[name]?.setup);
    let batch: Promise<Map<string, ScenarioResult>> | undefined;
    const resultOf = async (name: string): Promise<ScenarioResult> => {
      const { runBatch } = harness;
      if (!runBatch) return harness.run(name, inputFor(name));
      batch ??= runBatch(batched.map((n) => ({ name: n, input: inputFor(n) }))).then(
        (results) => new Map(batched.map((n, i) => [n, results[i] as ScenarioResult])),
      );
      const results = await batch;
      return results.get(name) ?? harness.run(name, inputFor(name));
    };

    for (const name of selected) {
      it(name, async () => {
        const expectation = expectations[name] as Expectation;
        const first = batched[0];
        if (expectation.setup && harness.runBatch && first) await resultOf(first);
        expectation.setup?.(auth);
        try {
          const result = await resultOf(name);
          if (!result.ok) expect.fail(result.error);
          expect(auth.tokenRequestsFor(clientId(name))).toBe(expectation.tokenRequests);
        } finally {
          auth.faults.clear();
        }
      });
    }
  });
}
