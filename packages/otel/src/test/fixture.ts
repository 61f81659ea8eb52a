import { inspect } from 'node:util';
import { type ClientCredentialsOptions, clientCredentials } from '@grantkit/core';
import {
  type AuthServer,
  createAuthServer,
  createManualClock,
  createResourceServer,
  type ManualClock,
  type ResourceServer,
} from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { type Attributes, type ContextManager, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type TelemetryOptions, telemetry } from '../index.js';

/** A client id that appears nowhere else, so finding it in exported telemetry means it leaked. */
export const CLIENT_ID = 'coaching-svc-7f3a9c';
/** A secret with the characters RFC 6749 §2.3.1 encoding changes. */
export const SECRET = 'p+ss:w%rd x-91bd';

/** A metric reader the test collects from when it wants to. */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One exported data point, simplified: its attributes and its value (a number, or a histogram's count). */
export interface Point {
  readonly attributes: Attributes;
  readonly value: number;
}

export interface Fixture {
  auth: AuthServer;
  api: ResourceServer;
  tokenUrl: string;
  apiUrl: string;
  /** The port of the token endpoint, as `server.port` should say. */
  authPort: number;
  clock: ManualClock;
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** The spans exported in this test. */
  spans(): ReadableSpan[];
  /** The data points of metric `name` collected now. */
  points(name: string): Promise<Point[]>;
  /** A source on the fake server that reports through `telemetry(telemetryOptions)`. */
  source(
    options?: Partial<ClientCredentialsOptions>,
    telemetryOptions?: TelemetryOptions,
  ): ReturnType<typeof clientCredentials>;
}

/** Every token the server issued to this file's sources, and everything this file exported. */
const issued = new Set<string>();
const exported: string[] = [];

/** Wraps fetch to learn every access token the server issues. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = await response
    .clone()
    .text()
    .catch(() => '');
  for (const match of body.matchAll(/"access_token"\s*:\s*"([^"]+)"/g)) if (match[1]) issued.add(match[1]);
  return response;
};

/** Spans and metrics as an exporter would serialise them, and as a debugger would show them. */
function views(value: unknown): string[] {
  return [JSON.stringify(value) ?? '', inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
}

/** Serialises every span and metric the file exported and finds no secret, token, header or client id. */
function assertNothingLeaked(): void {
  const encoded = new URLSearchParams({ v: SECRET }).toString().slice(2);
  const forms = [SECRET, encoded, btoa(`${CLIENT_ID}:${encoded}`), CLIENT_ID, ...issued];
  expect(issued.size).toBeGreaterThan(0);
  expect(exported.length).toBeGreaterThan(0);
  for (const view of exported) {
    for (const form of forms) expect(view.includes(form), `leaked into: ${view.slice(0, 300)}`).toBe(false);
    expect(view).not.toMatch(/bearer |basic |authorization/i);
  }
}

const pointValue = (point: DataPoint<unknown>): number => {
  const value = point.value;
  return typeof value === 'number' ? value : ((value as { count: number }).count ?? Number.NaN);
};

/**
 * The fake Keycloak and a JWT-checking API on loopback ports, the OpenTelemetry SDK with an in-memory span
 * exporter and a metric reader (fresh for each test), a context manager (default: AsyncLocalStorage, as the
 * Node SDK registers), a manual clock.
 * After the file, every span and metric it exported is serialised and searched for secrets.
 */
export function useTelemetry(
  contextManager: () => ContextManager = () => new AsyncLocalStorageContextManager(),
): Fixture {
  const f = {} as Fixture;
  let reader: CollectingReader;
  let exporter: InMemorySpanExporter;
  const closers: (() => Promise<void>)[] = [];

  const keep = async (): Promise<void> => {
    if (!exporter) return;
    for (const span of exporter.getFinishedSpans()) {
      const { name, kind, attributes, events, links, status, parentSpanContext, instrumentationScope } = span;
      exported.push(
        ...views({ name, kind, attributes, events, links, status, parentSpanContext, instrumentationScope }),
        inspect(span, { depth: 4, showHidden: true }),
      );
    }
    const { resourceMetrics } = await reader.collect();
    exported.push(...views(resourceMetrics));
  };

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager().enable());
    f.auth = await createAuthServer({
      realms: { acme: { clients: { [CLIENT_ID]: { secret: SECRET, lifetimeSeconds: 3600 } } } },
    });
    f.api = createResourceServer({ auth: f.auth, realm: 'acme' });
    const [authServer, apiServer] = await Promise.all([listen(f.auth.app), listen(f.api.app)]);
    if (!authServer || !apiServer) throw new Error('servers did not start');
    closers.push(authServer.close, apiServer.close);
    f.tokenUrl = f.auth.tokenUrl(authServer.url, 'acme');
    f.apiUrl = apiServer.url;
    f.authPort = Number(new URL(authServer.url).port);
  });

  beforeEach(async () => {
    await keep();
    f.auth.reset();
    f.auth.faults.clear();
    f.auth.unknownClientStyle = '401-unauthorized_client';
    f.api.reset();
    f.clock = createManualClock(1_700_000_000_000);
    exporter = new InMemorySpanExporter();
    f.tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    reader = new CollectingReader();
    f.meterProvider = new MeterProvider({ readers: [reader] });
  });

  afterAll(async () => {
    await keep();
    await Promise.all(closers.map((close) => close()));
    context.disable();
    assertNothingLeaked();
  });

  f.spans = () => exporter.getFinishedSpans();
  f.points = async (name) => {
    const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []).map((point: DataPoint<unknown>) => ({
      attributes: point.attributes,
      value: pointValue(point),
    }));
  };
  f.source = (options = {}, telemetryOptions = {}) =>
    clientCredentials({
      tokenUrl: f.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      allowInsecureRequests: true,
      clock: f.clock,
      retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
      fetch: recordingFetch,
      onEvent: telemetry({
        tracerProvider: f.tracerProvider,
        meterProvider: f.meterProvider,
        clock: f.clock,
        ...telemetryOptions,
      }),
      ...options,
    });
  return f;
}

/** Waits (in real time, for loopback I/O) until `condition` holds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
