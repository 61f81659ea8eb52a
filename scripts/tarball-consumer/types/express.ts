// Type-level use of @grantkit/express (compiled by test:tarballs): req.grantkit through withGrantkit.
import { clientCredentials } from '@grantkit/core';
import { authProxy, grantkit, tokenErrorHandler, withGrantkit } from '@grantkit/express';
import express from 'express';

const source = clientCredentials({
  tokenUrl: 'https://auth.acme.example/token',
  clientId: 'svc',
  clientSecret: 's',
});
export const app = express();
app.use(grantkit({ source, origins: ['https://api.acme.example'] }));
app.get(
  '/sessions',
  withGrantkit(async (req, res) => {
    res.json(await (await req.grantkit.fetch('https://api.acme.example/sessions')).json());
  }),
);
app.use('/api', authProxy({ source, target: 'https://api.acme.example' }));
app.use(tokenErrorHandler());
