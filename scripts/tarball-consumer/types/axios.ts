// Type-level use of @grantkit/axios (compiled by test:tarballs).
import { authInterceptors } from '@grantkit/axios';
import { clientCredentials } from '@grantkit/core';
import axios from 'axios';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
export const api = axios.create({ baseURL: 'https://api.acme.example' });
export const eject: () => void = authInterceptors(api, source, { origins: ['https://api.acme.example'] });
authInterceptors(axios, source, { origins: '*' });
export const sessions: Promise<unknown> = api.get('/coaching/v1/sessions').then((response) => response.data);
