// Type-level use of @grantkit/ky (compiled by test:tarballs).
import { clientCredentials } from '@grantkit/core';
import { authHooks } from '@grantkit/ky';
import ky, { type Hooks } from 'ky';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
const hooks: Hooks = authHooks(source, { origins: ['https://api.acme.example'] });
export const api = ky.create({ prefixUrl: 'https://api.acme.example', hooks });
export const sessions: Promise<unknown> = api.get('coaching/v1/sessions').json();
