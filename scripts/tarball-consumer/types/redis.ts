// Type-level use of @grantkit/redis (compiled by test:tarballs): any node-redis client fits the store.
import { clientCredentials } from '@grantkit/core';
import { redisTokenStore } from '@grantkit/redis';
import { createClient } from 'redis';

const client = createClient({ url: 'redis://127.0.0.1:6379' });
export const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's3cret',
  store: redisTokenStore({ client, clientSecret: 's3cret' }),
});
