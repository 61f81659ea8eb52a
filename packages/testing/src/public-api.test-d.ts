import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthServer,
  createAuthServer,
  createManualClock,
  type createResourceServer,
  type EchoResponse,
  type MalformedKind,
  type TokenRequestLogEntry,
} from './index.js';
import { listen, type RunningServer } from './node.js';

describe('public API types', () => {
  it('createAuthServer resolves an AuthServer', () => {
    expectTypeOf(createAuthServer).returns.resolves.toEqualTypeOf<AuthServer>();
    expectTypeOf<AuthServer['requestLog']>().toEqualTypeOf<readonly TokenRequestLogEntry[]>();
    expectTypeOf<AuthServer['unknownClientStyle']>().toEqualTypeOf<
      '401-unauthorized_client' | '400-invalid_client'
    >();
  });

  it('malformed takes the documented kinds', () => {
    expectTypeOf<'html'>().toExtend<MalformedKind>();
    expectTypeOf<{ expires_in: undefined }>().toExtend<MalformedKind>();
    expectTypeOf<'json'>().not.toExtend<MalformedKind>();
  });

  it('listen takes any Hono app', () => {
    expectTypeOf(listen).returns.resolves.toEqualTypeOf<RunningServer>();
    expectTypeOf<ReturnType<typeof createResourceServer>['app']>().toHaveProperty('fetch');
  });

  it('the echo response names the token by jti', () => {
    expectTypeOf<EchoResponse['tokenId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(createManualClock().sleep).returns.toEqualTypeOf<Promise<void>>();
  });
});
