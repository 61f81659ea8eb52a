import type { ClientCredentialsOptions, TokenEventListener } from '@grantkit/core';
import type { Attributes, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { describe, expectTypeOf, it } from 'vitest';
import { type TelemetryOptions, telemetry } from './index.js';

describe('telemetry() types', () => {
  it('is a source onEvent listener, with every option optional', () => {
    expectTypeOf(telemetry()).toEqualTypeOf<TokenEventListener>();
    expectTypeOf(telemetry()).toExtend<NonNullable<ClientCredentialsOptions['onEvent']>>();
    expectTypeOf<TelemetryOptions['tracerProvider']>().toEqualTypeOf<TracerProvider | undefined>();
    expectTypeOf<TelemetryOptions['meterProvider']>().toEqualTypeOf<MeterProvider | undefined>();
    expectTypeOf<TelemetryOptions['attributes']>().toEqualTypeOf<Attributes | undefined>();
  });

  it("keeps a user's listener that takes only the event", () => {
    telemetry({ onEvent: (event) => void event.type });
    // @ts-expect-error a listener is a function
    telemetry({ onEvent: 'log' });
  });
});
