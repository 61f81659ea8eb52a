import { clientCredentials } from '@grantkit/core';
import { telemetry } from '@grantkit/otel';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type Contender, compare } from '../harness.js';
import { grantkitSource } from '../peers.js';
import type { Config, PartResult } from '../result.js';
import { CLIENT_ID, CLIENT_SECRET, startLoopback } from '../servers.js';

/** A reader that is never asked to export: the meter provider records as with any reader attached. */
class IdleReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Part 7: a warm `getToken()` with `@grantkit/otel`'s `telemetry()` attached to the source (a real SDK
 * tracer provider and meter provider behind it) against the same source without it, in the same rounds.
 */
export async function telemetryOverhead(config: Config): Promise<PartResult> {
  const loopback = await startLoopback();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  try {
    const plain = grantkitSource(loopback.tokenUrl);
    const again = grantkitSource(loopback.tokenUrl);
    const traced = clientCredentials({
      tokenUrl: loopback.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      allowInsecureRequests: true,
      onEvent: telemetry({ tracerProvider, meterProvider }),
    });
    await Promise.all([plain.getToken(), again.getToken(), traced.getToken()]); // fill every cache
    const filled = exporter.getFinishedSpans().length;
    const contenders: Contender[] = [
      { name: 'plain', run: () => plain.getToken() },
      { name: 'again', run: () => again.getToken() },
      { name: 'traced', run: () => traced.getToken() },
    ];
    const options = config.quick
      ? { iterations: 20_000, rounds: 5, warmup: 20_000 }
      : { iterations: 200_000, rounds: 15, warmup: 200_000 };
    const ns = await compare(contenders, options);
    const spansDuring = exporter.getFinishedSpans().length - filled;
    const first = ns.get('plain') as number;
    const second = ns.get('again') as number;
    // Two identical sources differ by object placement and machine noise: the baseline is their mean.
    const without = (first + second) / 2;
    const withTelemetry = ns.get('traced') as number;
    const calls = (options.warmup + options.iterations * options.rounds).toLocaleString('en');
    return {
      id: 'telemetry',
      title: '7. Telemetry — warm getToken() with @grantkit/otel attached',
      rows: [
        {
          measurement: 'warm getToken()',
          subject: 'Grantkit source, no `onEvent`',
          value: first,
          unit: 'ns/call',
          ratio: first / without,
        },
        {
          measurement: 'warm getToken()',
          subject: 'a second, identical Grantkit source, no `onEvent`',
          value: second,
          unit: 'ns/call',
          ratio: second / without,
          note: 'baseline: the mean of these two',
        },
        {
          measurement: 'warm getToken()',
          subject: 'Grantkit source with `onEvent: telemetry()` (SDK tracer and meter providers)',
          value: withTelemetry,
          unit: 'ns/call',
          ratio: withTelemetry / without,
          target: '≤ 1.10× (a cache hit reports no event)',
          pass: withTelemetry / without <= 1.1,
        },
        {
          measurement: 'spans exported during the warm calls',
          subject: 'Grantkit source with `onEvent: telemetry()`',
          value: spansDuring,
          unit: 'spans',
          target: '0',
          pass: spansDuring === 0,
          note: `${calls} cache hits`,
        },
      ],
      notes: [
        `The three sources are filled first (one token request each; ${filled} span for the traced one), then called in the same ${options.rounds} interleaved rounds of ${options.iterations.toLocaleString('en')} sequential awaited calls (after ${options.warmup.toLocaleString('en')} warm-up calls); value = median ns per call.`,
        'A cache hit emits no event, so the listener is never called on this path: the three sources run the same code, and the spread between the two without `onEvent` is what separate source objects on a shared machine differ by; the ratio is against their mean.',
      ],
    };
  } finally {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loopback.close()]);
  }
}
