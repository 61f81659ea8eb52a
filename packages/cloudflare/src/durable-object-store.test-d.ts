import type { DurableObjectNamespace, DurableObjectState } from '@cloudflare/workers-types';
import type { TokenStore } from '@grantkit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type DurableObjectTokenStore, durableObjectStore, TokenStoreObject } from './index.js';

describe('durableObjectStore', () => {
  it('takes a namespace binding as workers-types names it, and is a TokenStore with a lock', () => {
    const store = durableObjectStore({} as DurableObjectNamespace, { encryptionKey: new Uint8Array(32) });
    expectTypeOf(store).toExtend<TokenStore>();
    expectTypeOf<DurableObjectTokenStore['lock']>().toBeFunction();
  });
});

describe('TokenStoreObject', () => {
  it('is constructed from the DurableObjectState workerd passes, and answers fetch and alarm', () => {
    const object = new TokenStoreObject({} as DurableObjectState, {});
    expectTypeOf(object.fetch).returns.resolves.toExtend<Response>();
    expectTypeOf(object.alarm).returns.resolves.toBeVoid();
  });
});
