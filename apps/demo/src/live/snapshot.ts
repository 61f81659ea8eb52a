import type { TokenState } from '@grantkit/core';
import type { DemoStack } from '../stack.js';

/** One worker isolate's token cache status, as the live page shows it. */
export interface IsolateStatus {
  readonly name: string;
  readonly status: string;
}

/** What the live page polls: the fetch adapter's token cache up close, and every adapter's counters. */
export interface LiveSnapshot {
  readonly now: number;
  readonly startedAt: number;
  readonly lifetimeSeconds: number;
  readonly outage: boolean;
  /** The fetch adapter's token cache. */
  readonly state: TokenState;
  readonly tokenRequests: number;
  readonly adapters: readonly {
    readonly name: string;
    readonly status: string;
    /** The worker's: each isolate's token cache status. */
    readonly isolates?: readonly IsolateStatus[];
    readonly calls: number;
    readonly failed: number;
    readonly tokenRequests: number;
    readonly replays: number;
  }[];
  readonly recentCalls: readonly {
    readonly at: number;
    readonly adapter: string;
    readonly path: string;
    readonly status: number;
    readonly ms: number;
    readonly problem: string | null;
  }[];
  readonly transitions: readonly { readonly at: number; readonly from: string; readonly to: string }[];
}

/** Reads the stack's current state; `at` fields are ms since `startedAt`. Never includes a token. */
export function snapshot(
  stack: DemoStack,
  startedAt: number,
  lifetimeSeconds: number,
  outage: boolean,
  isolates: readonly IsolateStatus[],
): LiveSnapshot {
  const fetchSource = stack.sources.get('fetch');
  const fetchAdapter = stack.adapters.find((a) => a.name === 'fetch');
  const auth = stack.embedded.auth;
  return {
    now: Date.now(),
    startedAt,
    lifetimeSeconds,
    outage,
    state: fetchSource?.state ?? { status: 'empty', failures: 0 },
    tokenRequests: fetchAdapter ? auth.tokenRequestsFor(fetchAdapter.clientId) : 0,
    adapters: stack.adapters.map((a) => ({
      name: a.name,
      status: stack.sources.get(a.name as never)?.state.status ?? isolates[0]?.status ?? 'unknown',
      ...(a.name === 'worker' && { isolates }),
      calls: a.tally.callCount,
      failed: a.tally.failureCount,
      tokenRequests: auth.tokenRequestsFor(a.clientId),
      replays: stack.api.rejectedFor(a.clientId),
    })),
    recentCalls: stack.adapters
      .flatMap((a) =>
        a.tally.calls.slice(-12).map((call) => ({
          at: call.at,
          adapter: a.name,
          path: call.path,
          status: call.status,
          ms: call.ms,
          problem: call.problem ?? null,
        })),
      )
      .sort((x, y) => y.at - x.at)
      .slice(0, 12),
    transitions: (fetchAdapter?.tally.transitions ?? []).slice(-8).reverse(),
  };
}
