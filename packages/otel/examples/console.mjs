// A token source on the embedded fake Keycloak, traced and measured with the OpenTelemetry Node SDK and
// printed to the console. From the repository root:
//   pnpm turbo run build --filter @grantkit/otel... && node packages/otel/examples/console.mjs
import { clientCredentials } from '@grantkit/core';
import { telemetry } from '@grantkit/otel';
import { createAuthServer } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { metrics, trace } from '@opentelemetry/api';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

// The SDK: spans and metrics to the console. register() also installs the AsyncLocalStorage context manager.
const tracerProvider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
tracerProvider.register();
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() })],
});
metrics.setGlobalMeterProvider(meterProvider);

const auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 's3cret' } } } } });
const server = await listen(auth.app);
const source = clientCredentials({
  tokenUrl: auth.tokenUrl(server.url, 'demo'),
  clientId: 'svc',
  clientSecret: 's3cret',
  allowInsecureRequests: true, // the fake auth server is plain http on loopback
  onEvent: telemetry(), // the global tracer and meter providers
});

await trace.getTracer('example').startActiveSpan('GET /coaching/v1/sessions', async (span) => {
  await source.getToken(); // a token request: a grantkit.token_request span, child of this one
  await source.getToken(); // a cache hit: nothing to report
  span.end();
});

await meterProvider.forceFlush(); // print the metrics now rather than in a minute
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), server.close()]);
