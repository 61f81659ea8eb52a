import { describe, expectTypeOf, it } from 'vitest';
import {
  type BasicEncoding,
  type ClientCredentialsOptions,
  type ClientSecret,
  clientCredentials,
} from './index.js';

const base = { tokenUrl: 'https://auth.acme/token', clientId: 'svc' } as const;

describe('ClientCredentialsOptions', () => {
  it('takes a secret as a string or a sync or async function', () => {
    expectTypeOf<ClientSecret>().toEqualTypeOf<string | (() => string | Promise<string>)>();
    clientCredentials({ ...base, clientSecret: 's' });
    clientCredentials({ ...base, clientSecret: () => 's' });
    clientCredentials({ ...base, clientSecret: async () => 's' });
    // @ts-expect-error a secret function returns a string
    clientCredentials({ ...base, clientSecret: () => 42 });
  });

  it('pins one of the two Basic encodings', () => {
    expectTypeOf<BasicEncoding>().toEqualTypeOf<'rfc6749' | 'raw'>();
    expectTypeOf<ClientCredentialsOptions['basicEncoding']>().toEqualTypeOf<BasicEncoding | undefined>();
    // @ts-expect-error no such encoding
    clientCredentials({ ...base, clientSecret: 's', basicEncoding: 'latin1' });
    expectTypeOf<ClientCredentialsOptions['maxResponseBytes']>().toEqualTypeOf<number | undefined>();
  });
});
