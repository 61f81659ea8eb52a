import type { TokenSource } from '@grantkit/core';
import { Agent, type Dispatcher } from 'undici';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthInterceptorOptions, authInterceptor } from './index.js';

declare const source: TokenSource;

describe('authInterceptor types', () => {
  it("is an interceptor for undici's compose", () => {
    const interceptor = authInterceptor(source, { origins: ['https://api.acme.com'] });
    expectTypeOf(interceptor).toEqualTypeOf<Dispatcher.DispatcherComposeInterceptor>();
    expectTypeOf(new Agent().compose(interceptor)).toEqualTypeOf<Dispatcher.ComposedDispatcher>();
    expectTypeOf<AuthInterceptorOptions['maxReplayBodyBytes']>().toEqualTypeOf<number | undefined>();
  });

  it('requires origins', () => {
    // @ts-expect-error origins is required
    authInterceptor(source, {});
    authInterceptor(source, { origins: '*', maxReplayBodyBytes: 1024 });
  });
});
