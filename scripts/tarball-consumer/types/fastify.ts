// Type-level use of @grantkit/fastify (compiled by test:tarballs): request.grantkit by declaration merging.
import { clientCredentials } from '@grantkit/core';
import { authProxy, grantkit } from '@grantkit/fastify';
import Fastify from 'fastify';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
export const app = Fastify();
void app.register(grantkit, { source, origins: ['https://api.acme.example'] });
app.get('/sessions', async (request) =>
  (await request.grantkit.fetch('https://api.acme.example/sessions')).json(),
);
void app.register(authProxy, { prefix: '/coaching', source, target: 'https://api.acme.example/coaching' });
