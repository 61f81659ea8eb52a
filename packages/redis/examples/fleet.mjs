// Three "instances" (each with its own Redis connection and token source) share one token.
// From the repository root: pnpm turbo run build --filter @grantkit/redis...
//   REDIS_URL=redis://127.0.0.1:$(scripts/redis-server.sh) node packages/redis/examples/fleet.mjs
import { clientCredentials } from '@grantkit/core';
import { redisTokenStore } from '@grantkit/redis';
import { createAuthServer } from '@grantkit/testing';
import { listen } from '@grantkit/testing/node';
import { createClient } from 'redis';

const auth = await createAuthServer({ realms: { demo: { clients: { svc: { secret: 's3cret' } } } } });
const server = await listen(auth.app);

const instances = await Promise.all(
  [1, 2, 3].map(async () => {
    const client = await createClient({ url: process.env.REDIS_URL })
      .on('error', (error) => console.warn('redis:', error.message))
      .connect();
    const source = clientCredentials({
      tokenUrl: auth.tokenUrl(server.url, 'demo'),
      clientId: 'svc',
      clientSecret: 's3cret',
      allowInsecureRequests: true, // the fake auth server is plain http on loopback
      store: redisTokenStore({ client, clientSecret: 's3cret' }),
    });
    return { client, source };
  }),
);

const tokens = await Promise.all(instances.map(({ source }) => source.getToken()));
console.log('instances:', tokens.length, 'distinct tokens:', new Set(tokens.map((t) => t.accessToken)).size);
console.log('token requests:', auth.tokenRequests);

for (const { client } of instances) client.destroy();
await server.close();
