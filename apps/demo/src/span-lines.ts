import { ExportResultCode } from '@opentelemetry/core';
import {
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

/** One printable line for a `grantkit.token_request` span: who, which attempt, how long, how it ended. */
export function spanLine(span: ReadableSpan): string {
  const a = span.attributes;
  const ms = span.duration[0] * 1_000 + span.duration[1] / 1e6;
  const outcome =
    span.status.code === 2
      ? `ERROR ${a['error.type']}${a['oauth2.error'] ? ` (${a['oauth2.error']})` : ''}`
      : 'OK';
  const parent = span.parentSpanContext ? ` parent ${span.parentSpanContext.spanId}` : '';
  return `  span ${span.name} ${a['oauth2.client_id'] ?? ''} attempt ${a['grantkit.attempt']} ${a['grantkit.background'] ? 'background' : 'foreground'} ${ms.toFixed(1)} ms ${outcome} → ${a['server.address']}:${a['server.port']}${parent}`;
}

/**
 * `--spans`: registers the OpenTelemetry SDK as the global tracer provider, printing each span as one line
 * when it ends. Resolves the provider's shutdown.
 */
export function printSpans(log: (line: string) => void): () => Promise<void> {
  const exporter: SpanExporter = {
    export(spans, done) {
      for (const span of spans) log(spanLine(span));
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: () => Promise.resolve(),
  };
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return () => provider.shutdown();
}
