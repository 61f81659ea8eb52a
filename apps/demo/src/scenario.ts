import type { AdapterTally } from './tally.js';

/** Something the demo can call through: one adapter, wired to the Coaching API. */
export interface AdapterUnderTest {
  readonly name: string;
  readonly clientId: string;
  readonly tally: AdapterTally;
  /** GETs a Coaching API path (`/coaching/v1/...`) through the adapter. */
  call(path: string): Promise<Response>;
}

/** What the scenario may do to the world around the adapter. */
export interface ScenarioControls {
  /** Revokes the newest token issued to `clientId` at the authorization server. */
  revokeLatest(clientId: string): boolean;
  /** How many token requests the authorization server has counted for `clientId` so far. */
  tokenRequests(clientId: string): number;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** How long the phases last; derived from the token lifetime so expiry falls inside them. */
export interface ScenarioTiming {
  /** Calls keep coming every `steadyEveryMs` for this long: it spans refresh-ahead and the token's expiry. */
  readonly steadyMs: number;
  readonly steadyEveryMs: number;
  /** Then nothing for this long, so the cached token lapses and the next call must get a new one. */
  readonly idleMs: number;
}

/** Makes one call, records it in the tally, and never throws. */
export async function tracedCall(
  adapter: AdapterUnderTest,
  path: string,
  now: () => number,
): Promise<number> {
  const startedAt = now();
  try {
    const response = await adapter.call(path);
    await response.arrayBuffer();
    const ms = now() - startedAt;
    adapter.tally.record(
      response.ok
        ? { startedAt, path, status: response.status, ms }
        : { startedAt, path, status: response.status, ms, problem: `HTTP ${response.status}` },
    );
    return response.status;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const problem = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    adapter.tally.record({ startedAt, path, status: 0, ms: now() - startedAt, problem });
    return 0;
  }
}

/**
 * The script every adapter runs, all adapters at once:
 * 1. a cold call, then four concurrent calls — one token request for all of them (recorded in the tally);
 * 2. a session by id and the agents list;
 * 3. the current token is revoked at the server — the next call gets `401`, the adapter invalidates the
 *    token and replays once with a new one;
 * 4. steady calls across refresh-ahead and the token's expiry — no caller waits, no `401`;
 * 5. an idle gap longer than the token's lifetime, then one call — the lapsed token is replaced.
 */
export async function runScenario(
  adapter: AdapterUnderTest,
  controls: ScenarioControls,
  timing: ScenarioTiming,
): Promise<void> {
  const call = (path: string): Promise<number> => tracedCall(adapter, path, controls.now);
  await call('/coaching/v1/sessions');
  await Promise.all([
    call('/coaching/v1/sessions'),
    call('/coaching/v1/agents'),
    call('/coaching/v1/sessions/cs-9001'),
    call('/coaching/v1/sessions/cs-9002'),
  ]);
  adapter.tally.coldStartTokenRequests = controls.tokenRequests(adapter.clientId);
  await call('/coaching/v1/sessions/cs-9003');
  await call('/coaching/v1/agents');

  if (!controls.revokeLatest(adapter.clientId)) {
    adapter.tally.errors.push('no token had been issued to revoke');
  }
  await call('/coaching/v1/sessions');

  const steadyUntil = controls.now() + timing.steadyMs;
  while (controls.now() < steadyUntil) {
    await call('/coaching/v1/sessions');
    await controls.sleep(timing.steadyEveryMs);
  }

  await controls.sleep(timing.idleMs);
  await call('/coaching/v1/agents');
}
