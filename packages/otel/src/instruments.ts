import type { TokenSource } from '@grantkit/core';
import type { Attributes, Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';

/** The instruments of one meter, created once however many `telemetry()` listeners share it. */
export interface Instruments {
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly invalidations: Counter;
  /** Reports `source`'s time to expiry under `attributes` for as long as the source lives. */
  watchExpiry(source: TokenSource, attributes: Attributes, now: () => number): void;
}

interface Watched {
  readonly source: WeakRef<TokenSource>;
  readonly attributes: Attributes;
  /** `attributes` as a key: sources with equal attributes report one point, the soonest expiry. */
  readonly key: string;
  readonly now: () => number;
}

/** Token request durations are network round trips bounded by the 10 s default timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const byMeter = new WeakMap<Meter, Instruments>();

const keyOf = (attributes: Attributes): string =>
  JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1)));

function reportExpiry(watched: Set<Watched>, result: ObservableResult): void {
  const soonest = new Map<string, { attributes: Attributes; seconds: number }>();
  for (const entry of watched) {
    const source = entry.source.deref();
    if (!source) {
      watched.delete(entry);
      continue;
    }
    const expiresAt = source.state.expiresAt;
    if (expiresAt === undefined) continue;
    const seconds = Math.max(0, (expiresAt - entry.now()) / 1000);
    const seen = soonest.get(entry.key);
    if (!seen || seconds < seen.seconds) soonest.set(entry.key, { attributes: entry.attributes, seconds });
  }
  for (const { attributes, seconds } of soonest.values()) result.observe(seconds, attributes);
}

function create(meter: Meter): Instruments {
  const watched = new Set<Watched>();
  let sweepAt = 64;
  meter
    .createObservableGauge('grantkit.token.time_to_expiry', {
      description: 'Seconds until the token a source holds expires (the soonest, across sources alike)',
      unit: 's',
    })
    .addCallback((result) => reportExpiry(watched, result));
  return {
    requests: meter.createCounter('grantkit.token.requests', {
      description: 'Token requests made to the token endpoint, by outcome',
      unit: '{request}',
    }),
    duration: meter.createHistogram('grantkit.token.request.duration', {
      description: 'Duration of token requests to the token endpoint',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    invalidations: meter.createCounter('grantkit.token.invalidations', {
      description: 'Cached tokens dropped: replays after a 401 and explicit invalidations',
      unit: '{invalidation}',
    }),
    watchExpiry(source, attributes, now) {
      watched.add({ source: new WeakRef(source), attributes, key: keyOf(attributes), now });
      // Without a metric reader the gauge is never read: forget collected sources here too.
      if (watched.size >= sweepAt) {
        for (const entry of watched) if (!entry.source.deref()) watched.delete(entry);
        sweepAt = Math.max(64, watched.size * 2);
      }
    },
  };
}

/** The instruments of `meter`, created on first use. */
export function instruments(meter: Meter): Instruments {
  let found = byMeter.get(meter);
  if (!found) {
    found = create(meter);
    byMeter.set(meter, found);
  }
  return found;
}
