// Type-level use of @grantkit/fetch (compiled by test:tarballs).
import { clientCredentials } from '@grantkit/core';
import { type AuthFetchOptions, authFetch, type Fetch } from '@grantkit/fetch';

const options: AuthFetchOptions = { origins: ['https://api.acme.example'] };
export const api: Fetch = authFetch(
  clientCredentials({ tokenUrl: 'https://auth.acme.example/token', clientId: 'svc', clientSecret: 's3cret' }),
  options,
);
export const users: Promise<unknown> = api('https://api.acme.example/v1/users').then((response) =>
  response.json(),
);
