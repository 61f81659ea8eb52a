// Type-level use of @grantkit/cloudflare (compiled by test:tarballs): a Worker that exports the Durable
// Object class and builds its source on the namespace binding, with no @cloudflare/workers-types installed.

import { durableObjectStore, type TokenStoreNamespace, TokenStoreObject } from '@grantkit/cloudflare';
import { clientCredentials } from '@grantkit/core';

export { TokenStoreObject };

interface Env {
  readonly GRANTKIT_TOKENS: TokenStoreNamespace;
  readonly TOKEN_KEY: string;
}

export function sourceFor(env: Env) {
  return clientCredentials({
    tokenUrl: 'https://auth.acme.example/token',
    clientId: 'svc',
    clientSecret: 's3cret',
    store: durableObjectStore(env.GRANTKIT_TOKENS, {
      encryptionKey: Uint8Array.from(atob(env.TOKEN_KEY), (char) => char.charCodeAt(0)),
    }),
  });
}
