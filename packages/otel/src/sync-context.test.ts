import { type Context, type ContextManager, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { useTelemetry } from './test/fixture.js';

/**
 * A context manager that keeps the active context only for the synchronous extent of `with` (like the
 * browser's StackContextManager): the context is gone after the first `await`.
 */
class SynchronousContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}

const f = useTelemetry(() => new SynchronousContextManager());

describe('without AsyncLocalStorage', () => {
  it('the caller span still parents the foreground request: its context is taken inside getToken()', async () => {
    const source = f.source();
    const tracer = f.tracerProvider.getTracer('app');
    let lostAfterAwait = false;
    const caller = await tracer.startActiveSpan('job', async (span) => {
      const token = source.getToken(); // synchronously inside the caller's context
      await null;
      lostAfterAwait = trace.getActiveSpan() === undefined;
      await token;
      span.end();
      return span.spanContext();
    });
    expect(lostAfterAwait).toBe(true);
    const [request] = f.spans().filter((s) => s.name === 'grantkit.token_request');
    expect(request?.parentSpanContext?.spanId).toBe(caller.spanId);
  });
});
