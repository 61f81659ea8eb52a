/** How the test configures each worker of the fleet for one test. */
export interface FleetConfig {
  readonly tokenUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** The source's token request timeout, which also bounds its wait for a peer holding the lock. */
  readonly timeoutMs: number;
  readonly refreshAheadMs?: number;
}

export type ToWorker =
  | { readonly type: 'configure'; readonly config: FleetConfig }
  | { readonly type: 'burst'; readonly id: number; readonly callers: number }
  /** Answered once the work the source handed to `waitUntil` has settled. */
  | { readonly type: 'idle'; readonly id: number };

export type ToParent =
  | { readonly type: 'ready' }
  | { readonly type: 'configured' }
  | { readonly type: 'token-request' }
  | { readonly type: 'store-error'; readonly operation: string; readonly code: string }
  | { readonly type: 'idle'; readonly id: number }
  | {
      readonly type: 'burst';
      readonly id: number;
      readonly tokens: string[];
      readonly failures: number;
      /** The codes of the failures, for the test's failure message. */
      readonly errors: string[];
    };
