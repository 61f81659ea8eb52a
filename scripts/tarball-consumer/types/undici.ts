// Type-level use of @grantkit/undici (compiled by test:tarballs).
import { clientCredentials } from '@grantkit/core';
import { authInterceptor } from '@grantkit/undici';
import { Agent, type Dispatcher, setGlobalDispatcher } from 'undici';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
export const dispatcher: Dispatcher = new Agent().compose(
  authInterceptor(source, { origins: ['https://api.acme.example'], maxReplayBodyBytes: 65_536 }),
);
setGlobalDispatcher(dispatcher);
export const sessions: Promise<unknown> = fetch('https://api.acme.example/coaching/v1/sessions').then((r) =>
  r.json(),
);
