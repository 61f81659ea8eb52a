// Type-level use of @grantkit/openapi-fetch (compiled by test:tarballs) with a hand-written `paths` type.
import { clientCredentials } from '@grantkit/core';
import { authMiddleware } from '@grantkit/openapi-fetch';
import createClient, { type Middleware } from 'openapi-fetch';

interface paths {
  '/coaching/v1/sessions': {
    get: {
      responses: { 200: { content: { 'application/json': { items: { id: string }[] } } } };
    };
  };
}

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
const middleware: Middleware = authMiddleware(source, { origins: ['https://api.acme.example'] });
export const client = createClient<paths>({ baseUrl: 'https://api.acme.example' });
client.use(middleware);
export const sessions: Promise<{ id: string }[] | undefined> = client
  .GET('/coaching/v1/sessions')
  .then(({ data }) => data?.items);
