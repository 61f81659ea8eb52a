// Type-level use of @grantkit/otel (compiled by test:tarballs): the listener is a source's onEvent, with
// the caller's own listener kept beside it and the providers typed by @opentelemetry/api.
import { clientCredentials, type TokenEventListener } from '@grantkit/core';
import { type TelemetryOptions, telemetry } from '@grantkit/otel';
import { metrics, trace } from '@opentelemetry/api';

const options: TelemetryOptions = {
  tracerProvider: trace.getTracerProvider(),
  meterProvider: metrics.getMeterProvider(),
  attributes: { 'grantkit.tenant': 'acme' },
  onEvent: (event, source) => console.log(event.type, source.state.status),
};
const onEvent: TokenEventListener = telemetry(options);
export const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's3cret',
  onEvent,
});
