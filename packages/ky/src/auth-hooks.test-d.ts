import type { TokenSource } from '@grantkit/core';
import ky, { type Hooks } from 'ky';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthHooks, authHooks } from './index.js';

// Checked twice: against ky 1's types (tsconfig.json) and ky 2's (tsconfig.ky2.json maps `ky` to ky 2).
declare const source: TokenSource;

describe('authHooks types', () => {
  it("are assignable to ky's Hooks", () => {
    expectTypeOf(authHooks(source, { origins: ['https://api.acme.com'] })).toExtend<Hooks>();
    expectTypeOf<AuthHooks>().toExtend<Hooks>();
  });

  it('go into ky.create and .extend as they are', () => {
    const api = ky.create({ hooks: authHooks(source, { origins: '*' }) });
    api.extend({ hooks: authHooks(source, { origins: ['https://api.acme.com/coaching/'] }) });
    // @ts-expect-error origins is required
    authHooks(source, {});
  });
});
