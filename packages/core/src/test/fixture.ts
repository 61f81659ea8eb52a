import { inspect } from 'node:util';
import { type AuthServer, createAuthServer, createManualClock, type ManualClock } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type ClientCredentialsOptions, clientCredentials, type TokenEvent } from '../index.js';

export const SECRET = 'p+ss:w%rd x';

/** Every error and event this test file produced, and every token the server issued to it. */
const produced: unknown[] = [];
const issued = new Set<string>();

/** The forms a secret or token could leak in: as is, form-encoded, and inside a Basic header. */
function leakForms(): string[] {
  const encoded = new URLSearchParams({ v: SECRET }).toString().slice(2);
  return [SECRET, encoded, btoa(`svc:${encoded}`), ...issued];
}

/** Serialises everything produced every way a user might (message, String, JSON, util.inspect) and finds no secret. */
export function assertNothingLeaked(): void {
  const forms = leakForms();
  expect(issued.size).toBeGreaterThan(0);
  for (const item of produced) {
    const views = [
      String(item),
      JSON.stringify(item) ?? '',
      inspect(item, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ];
    if (item instanceof Error) views.push(item.message, item.stack ?? '');
    for (const view of views)
      for (const form of forms) expect(view.includes(form), `leaked into: ${view.slice(0, 200)}`).toBe(false);
  }
}

/** Wraps fetch to learn every access token the server issued (even inside malformed responses). */
const recordingFetch =
  (inner: typeof fetch): typeof fetch =>
  async (input, init) => {
    const response = await inner(input, init);
    const body = await response
      .clone()
      .text()
      .catch(() => '');
    for (const match of body.matchAll(/"access_token"\s*:\s*"([^"]+)"/g)) if (match[1]) issued.add(match[1]);
    return response;
  };

export interface Fixture {
  auth: AuthServer;
  url: string;
  tokenUrl: string;
  clock: ManualClock;
  events: TokenEvent[];
  errors: unknown[];
  source(options?: Partial<ClientCredentialsOptions>): ReturnType<typeof clientCredentials>;
}

/** A fake Keycloak on a loopback port, a manual clock, and sources that record every event and error. */
export function useAuthServer(): Fixture {
  const fixture = { events: [] as TokenEvent[], errors: [] as unknown[] } as Fixture;
  let close: () => Promise<void>;
  beforeAll(async () => {
    fixture.auth = await createAuthServer({
      realms: {
        demo: {
          clients: {
            svc: { secret: SECRET, lifetimeSeconds: 3600, scopes: ['read', 'write'] },
            short: { secret: SECRET, lifetimeSeconds: 4, scopes: ['read'] },
          },
        },
      },
    });
    const server = await listen(fixture.auth.app);
    close = server.close;
    fixture.url = server.url;
    fixture.tokenUrl = fixture.auth.tokenUrl(server.url, 'demo');
  });
  afterAll(async () => {
    await close();
    assertNothingLeaked();
  });
  beforeEach(() => {
    fixture.auth.reset();
    fixture.events.length = 0;
    fixture.errors.length = 0;
    fixture.auth.setLifetime('svc', 3600);
    fixture.auth.unknownClientStyle = '401-unauthorized_client';
    fixture.clock = createManualClock(1_700_000_000_000);
  });
  fixture.source = (options = {}) =>
    clientCredentials({
      tokenUrl: fixture.tokenUrl,
      clientId: 'svc',
      clientSecret: SECRET,
      allowInsecureRequests: true,
      clock: fixture.clock,
      retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
      onEvent: (event) => {
        fixture.events.push(event);
        produced.push(event);
        if (event.type === 'token-error') fixture.errors.push(event.error);
      },
      ...options,
      fetch: recordingFetch(options.fetch ?? ((input, init) => fetch(input, init))),
    });
  return fixture;
}

/** Lets pending promise callbacks and loopback I/O run. */
export const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles a promise without throwing, to inspect its outcome. */
export const outcome = <T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> =>
  promise.then(
    (value) => {
      produced.push(value);
      return { value };
    },
    (error: unknown) => {
      produced.push(error);
      return { error };
    },
  );

/** Waits (in real time, for loopback I/O) until `condition` holds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await settle(2);
  }
}
