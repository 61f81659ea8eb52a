import type { TokenSource } from '@grantkit/core';
import axios from 'axios';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthInterceptorsOptions, authInterceptors } from './index.js';

declare const source: TokenSource;

describe('authInterceptors types', () => {
  it('takes an axios.create() instance or the default export, and returns the eject function', () => {
    expectTypeOf(
      authInterceptors(axios.create(), source, { origins: ['https://api.acme.com'] }),
    ).toEqualTypeOf<() => void>();
    authInterceptors(axios, source, { origins: '*', waitUntil: (p: Promise<unknown>) => void p });
    expectTypeOf<AuthInterceptorsOptions['origins']>().toEqualTypeOf<'*' | readonly string[]>();
  });

  it('requires an instance and origins', () => {
    // @ts-expect-error origins is required
    authInterceptors(axios, source, {});
    // @ts-expect-error the instance comes first
    authInterceptors(source, { origins: '*' });
  });
});
