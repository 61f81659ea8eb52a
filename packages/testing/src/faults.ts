/**
 * What a `fail` fault answers.
 *
 * @example
 * ```ts
 * auth.faults.fail(1, { status: 429, retryAfter: 5, body: 'slow down', contentType: 'text/plain' });
 * ```
 */
export interface FailureResponse {
  /** HTTP status, e.g. `503` or `429`. */
  readonly status: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  /** The body: an object is sent as JSON. Defaults to an RFC 6749 §5.2 style error object. */
  readonly body?: string | object;
  /** `Content-Type`; defaults to `application/json` for objects and `text/plain` for strings. */
  readonly contentType?: string;
}

/**
 * An unusable "successful" token response:
 * - `'html'`: 200 `text/html` error page;
 * - `'not-json'`: 200 `application/json` that does not parse;
 * - `'missing-access-token'`: 200 JSON without `access_token`;
 * - `'wrong-token-type'`: 200 JSON with a real token and `token_type: 'mac'`;
 * - `{ expires_in }`: 200 JSON with a real token and that `expires_in` (`undefined` leaves the field out);
 * - `{ access_token, expires_in? }`: 200 JSON with that `access_token` (e.g. one with CR/LF, or an opaque
 *   one) and, when given, that `expires_in`.
 *
 * @example
 * ```ts
 * auth.faults.malformed(1, { expires_in: 'abc' });
 * ```
 */
export type MalformedKind =
  | 'html'
  | 'not-json'
  | 'missing-access-token'
  | 'wrong-token-type'
  | { readonly expires_in: unknown }
  | { readonly access_token: string; readonly expires_in?: unknown };

/**
 * What an `oversized` fault answers: a 200 token response of `bytes` bytes, produced lazily; with `gzip`,
 * sent `Content-Encoding: gzip` (a small download that expands to `bytes`).
 *
 * @example
 * ```ts
 * auth.faults.oversized(1, { bytes: 5_000_000, gzip: true });
 * ```
 */
export interface OversizedResponse {
  readonly bytes: number;
  readonly gzip?: boolean;
}

/**
 * One queued fault, as the token endpoint consumes it.
 *
 * @example
 * ```ts
 * expect(auth.requestLog[0]?.fault).toBe('drop'); // a Fault['kind']
 * ```
 */
export type Fault =
  | { readonly kind: 'fail'; readonly response: FailureResponse }
  | { readonly kind: 'malformed'; readonly shape: MalformedKind }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'oversized'; readonly response: OversizedResponse }
  | { readonly kind: 'trickle'; readonly intervalMs: number };

/**
 * Fault injection for the token endpoint. Faults queue in the order they are added and each one answers the
 * next `n` token requests (whatever their credentials); `latency` applies to every request on top.
 *
 * @example
 * ```ts
 * auth.faults.fail(2, { status: 503, retryAfter: 1 }); // requests 1 and 2 get 503
 * auth.faults.malformed(1, { expires_in: 'abc' });     // request 3 gets a token with expires_in "abc"
 * ```
 */
export interface FaultInjector {
  /** The next `n` token requests answer `response` (default `{ status: 503 }`). */
  fail(n: number, response?: FailureResponse): void;
  /** Every token request waits `ms` (real time) before it is answered; `0` clears it. */
  latency(ms: number): void;
  /** The next `n` token requests get an unusable 200 response, see {@link MalformedKind}. */
  malformed(n: number, kind: MalformedKind): void;
  /**
   * The next `n` token requests get no response at all. Over {@link listen} the socket is destroyed, so
   * `fetch` rejects (`TypeError: fetch failed`); in-process, `app.request()` / `auth.fetch()` reject with a
   * {@link ConnectionDroppedError} (a `TypeError` with the same message).
   */
  drop(n: number): void;
  /**
   * The next `n` token requests never answer: they wait until the client aborts (the request's signal;
   * over a socket, the client closing the connection), or until {@link FaultInjector.clear}, which lets them
   * carry on and be answered normally.
   */
  hang(n: number): void;
  /**
   * The next `n` token requests get a 200 token response of `bytes` bytes (gzip-encoded when asked), produced
   * only as fast as the client reads it: the log entry's `producedBytes` shows how much the client pulled.
   */
  oversized(n: number, response: OversizedResponse): void;
  /** The next `n` token requests get a good token response whose body arrives one byte every `intervalMs` (real time). */
  trickle(n: number, intervalMs: number): void;
  /** Removes every queued fault and the latency, and releases hanging requests. */
  clear(): void;
  /** How many token requests the queued faults will still answer. */
  readonly pending: number;
}

/** The server's side of the fault injector. */
export interface FaultQueue extends FaultInjector {
  /** Takes the fault for the next request, if any. */
  take(): Fault | undefined;
  readonly latencyMs: number;
  /** Resolves on `clear()`; rejects with `signal.reason` when `signal` aborts. */
  waitForRelease(signal: AbortSignal): Promise<void>;
}

const count = (n: number): number => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`fault count must be an integer >= 0, got ${n}`);
  return n;
};

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  let queue: { fault: Fault; remaining: number }[] = [];
  let latencyMs = 0;
  const hanging = new Set<() => void>();
  const add = (n: number, fault: Fault): void => {
    if (count(n) > 0) queue.push({ fault, remaining: n });
  };

  return {
    fail: (n, response = { status: 503 }) => add(n, { kind: 'fail', response }),
    malformed: (n, shape) => add(n, { kind: 'malformed', shape }),
    drop: (n) => add(n, { kind: 'drop' }),
    hang: (n) => add(n, { kind: 'hang' }),
    oversized: (n, response) => add(n, { kind: 'oversized', response }),
    trickle: (n, intervalMs) => add(n, { kind: 'trickle', intervalMs }),
    latency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite ms >= 0, got ${ms}`);
      latencyMs = ms;
    },
    clear() {
      queue = [];
      latencyMs = 0;
      for (const release of [...hanging]) release();
    },
    get pending() {
      return queue.reduce((sum, entry) => sum + entry.remaining, 0);
    },
    get latencyMs() {
      return latencyMs;
    },
    take() {
      const head = queue[0];
      if (!head) return undefined;
      head.remaining -= 1;
      if (head.remaining === 0) queue.shift();
      return head.fault;
    },
    waitForRelease(signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const release = (): void => {
          hanging.delete(release);
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          hanging.delete(release);
          reject(signal.reason);
        };
        hanging.add(release);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
