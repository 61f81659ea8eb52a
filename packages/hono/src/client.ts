import type { AuthClient } from '@grantkit/fetch';

/**
 * What the middleware puts on `c.var.grantkit`: a fetch that adds the service's token for the configured
 * origins (and replays once on 401), and the token itself for clients that need it.
 *
 * @example
 * ```ts
 * app.get('/sessions', async (c) => c.json(await (await c.var.grantkit.fetch('https://api.acme.com/sessions')).json()));
 * ```
 */
export type GrantkitClient = AuthClient;
