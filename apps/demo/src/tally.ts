import type { TokenEvent, TokenStatus } from '@grantkit/core';

/** One state change of a token cache, `at` in ms since the demo started. */
export interface Transition {
  readonly at: number;
  readonly from: TokenStatus;
  readonly to: TokenStatus;
}

/** One call the demo made through an adapter. */
export interface CallRecord {
  readonly at: number;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  /** Why it failed, when it did (a status other than 2xx, or an error's code / message). */
  readonly problem?: string;
}

/** What the demo saw of one isolate of the worker, read back from workerd after the run. */
export interface IsolateTally {
  /** The worker script's name in Miniflare. */
  readonly name: string;
  /** Tokens this isolate's source got with a token request of its own. */
  readonly requested: number;
  /** Tokens it took from the Durable Object, stored there by another isolate (or by itself earlier). */
  readonly fromStore: number;
  readonly transitions: readonly Transition[];
}

/** How many calls and transitions a tally keeps (the live page runs for hours; a report run makes ~25). */
const KEEP = 500;

/** What the demo saw of one adapter: its calls and its token cache's transitions. */
export class AdapterTally {
  /** The most recent calls (at most 500); {@link AdapterTally.callCount} counts them all. */
  readonly calls: CallRecord[] = [];
  readonly transitions: Transition[] = [];
  readonly errors: string[] = [];
  callCount = 0;
  failureCount = 0;
  /** Token requests the authorization server had seen once the cold call and the concurrent calls were done. */
  coldStartTokenRequests: number | undefined;

  constructor(
    readonly name: string,
    private readonly startedAt: number,
  ) {}

  /** The `onEvent` to give the adapter's token source. */
  readonly onEvent = (event: TokenEvent): void => {
    if (event.type === 'transition') {
      this.transitions.push({ at: event.at - this.startedAt, from: event.from, to: event.to });
      if (this.transitions.length > KEEP) this.transitions.shift();
    } else if (event.type === 'token-error') {
      this.errors.push(event.error.code);
      if (this.errors.length > KEEP) this.errors.shift();
    }
  };

  record(call: Omit<CallRecord, 'at'> & { readonly startedAt: number }): void {
    const { startedAt, ...rest } = call;
    this.calls.push({ ...rest, at: startedAt - this.startedAt });
    if (this.calls.length > KEEP) this.calls.shift();
    this.callCount += 1;
    if (rest.problem !== undefined) this.failureCount += 1;
  }

  get failed(): readonly CallRecord[] {
    return this.calls.filter((call) => call.problem !== undefined);
  }
}
