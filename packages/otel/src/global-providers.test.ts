import { metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { telemetry } from './index.js';
import { useTelemetry } from './test/fixture.js';

const f = useTelemetry();

describe('the global providers', () => {
  it('are the default, even when the SDK registers them after the listener was made', async () => {
    const onEvent = telemetry();
    trace.setGlobalTracerProvider(f.tracerProvider);
    metrics.setGlobalMeterProvider(f.meterProvider);
    await f.source({ onEvent }).getToken();
    expect(f.spans().map((s) => s.name)).toEqual(['grantkit.token_request']);
    expect(await f.points('grantkit.token.requests')).toMatchObject([{ value: 1 }]);
    trace.disable();
    metrics.disable();
  });
});
