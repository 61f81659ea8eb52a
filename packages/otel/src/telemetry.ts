import type { Clock, TokenEvent, TokenEventListener, TokenSource } from '@grantkit/core';
import {
  type Attributes,
  type Context,
  context,
  type MeterProvider,
  metrics,
  type Span,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { endpointAttributes } from './endpoint-attributes.js';
import { instruments } from './instruments.js';
import { endTokenRequestSpan, startTokenRequestSpan } from './token-request-span.js';

/** The instrumentation scope of every tracer and meter this package asks for. */
const SCOPE = '@grantkit/otel';

/**
 * Options of {@link telemetry}.
 *
 * @example
 * ```ts
 * const options: TelemetryOptions = {
 *   tracerProvider,                          // default: the global one
 *   meterProvider,                           // default: the global one
 *   attributes: { 'grantkit.tenant': 'acme' }, // opt in to a tenant (or client id) attribute
 *   onEvent: (event) => log.debug(event.type),  // your own listener, kept beside this one
 * };
 * ```
 */
export interface TelemetryOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, the Node SDK). */
  readonly tracerProvider?: TracerProvider | undefined;
  /** Where metrics go. Default: the global meter provider, looked up on each token request. */
  readonly meterProvider?: MeterProvider | undefined;
  /** Your own listener, called with every event after this one. */
  readonly onEvent?: TokenEventListener | undefined;
  /**
   * Added to every span and metric point — the opt-in for a tenant or a client id, which are not recorded
   * otherwise. Keep them low-cardinality: one value per source, not per request.
   */
  readonly attributes?: Attributes | undefined;
  /** Also record the token URL's path as `url.path` (on Keycloak it names the tenant's realm). Default `false`. */
  readonly tokenUrlPath?: boolean | undefined;
  /** What `grantkit.token.time_to_expiry` reads the time from: give the sources' clock when you inject one. */
  readonly clock?: Pick<Clock, 'now'> | undefined;
}

/** A token request in flight: its span, when it started, and its metric attributes. */
interface OpenRequest {
  readonly span: Span;
  readonly startedAt: number;
  readonly attributes: Attributes;
}

/** What the listener keeps per source. */
interface Observed {
  /** The caller's context, captured when the source starts acquiring, inside that caller's `getToken()`. */
  caller: Context | undefined;
  readonly open: Map<number, OpenRequest>;
}

/**
 * A source `onEvent` listener that reports token acquisition to OpenTelemetry: a `CLIENT` span
 * `grantkit.token_request` per token request attempt (a child of the caller's span when a caller waits on
 * it), and the metrics `grantkit.token.requests`, `grantkit.token.request.duration`,
 * `grantkit.token.invalidations` and `grantkit.token.time_to_expiry`. It never records a token, a secret or
 * the client id; a cache hit reports nothing, so costs nothing. One listener can serve many sources.
 *
 * @example
 * ```ts
 * import { verintCoaching } from '@grantkit/core';
 * import { telemetry } from '@grantkit/otel';
 *
 * const source = verintCoaching({
 *   domain: 'acme',
 *   clientId: process.env.VERINT_CLIENT_ID!,
 *   clientSecret: process.env.VERINT_CLIENT_SECRET!,
 *   onEvent: telemetry({ onEvent: (event) => console.debug(event.type) }),
 * });
 * ```
 */
export function telemetry(options: TelemetryOptions = {}): TokenEventListener {
  const attributes: Attributes = { ...options.attributes };
  const withPath = options.tokenUrlPath === true;
  const clock = options.clock;
  const now = clock ? () => clock.now() : () => Date.now();
  const observed = new WeakMap<TokenSource, Observed>();
  /** For a caller that hands in no source (a hand-written `TokenSource` forwarding events). */
  const unnamed: Observed = { caller: undefined, open: new Map() };
  // Looked up per event, not once: the SDK may register the global providers after this listener is made.
  const tracer = () => (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = () => instruments((options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE));

  const observe = (source: TokenSource | undefined): Observed => {
    if (typeof source !== 'object' || source === null) return unnamed;
    let found = observed.get(source);
    if (!found) {
      found = { caller: undefined, open: new Map() };
      observed.set(source, found);
      meter().watchExpiry(source, attributes, now);
    }
    return found;
  };

  const record = (event: TokenEvent, source: TokenSource | undefined): void => {
    switch (event.type) {
      case 'transition': {
        if (event.to === 'acquiring') observe(source).caller = context.active();
        return;
      }
      case 'token-request': {
        const known = observe(source);
        const caller = known.caller ?? context.active();
        known.caller = undefined;
        const base = { ...attributes, ...endpointAttributes(event.endpoint, withPath) };
        known.open.set(event.fetchId, {
          span: startTokenRequestSpan(tracer(), event, caller, base),
          startedAt: performance.now(),
          attributes: base,
        });
        return;
      }
      case 'token-response':
      case 'token-error': {
        const known = observe(source);
        known.caller = undefined;
        const open = known.open.get(event.fetchId);
        if (!open) return; // served from the store, or failed before any request
        known.open.delete(event.fetchId);
        const error = event.type === 'token-error' ? event.error : undefined;
        endTokenRequestSpan(open.span, error);
        const outcome: Attributes = error
          ? { ...open.attributes, outcome: 'failure', 'error.type': error.code }
          : { ...open.attributes, outcome: 'success' };
        const { requests, duration } = meter();
        requests.add(1, outcome);
        duration.record((performance.now() - open.startedAt) / 1000, outcome);
        return;
      }
      case 'invalidate': {
        observe(source);
        meter().invalidations.add(1, attributes);
        return;
      }
      default:
        return;
    }
  };

  return (event, source) => {
    try {
      record(event, source);
    } finally {
      options.onEvent?.(event, source);
    }
  };
}
