import type { AuthClient } from '@grantkit/fetch';

/**
 * What the middleware puts on `req.grantkit`: a fetch that adds the service's token for the configured
 * origins (and replays once on 401), and the token itself for clients that need it.
 *
 * @example
 * ```ts
 * app.get('/me', withGrantkit(async (req, res) => res.json(await (await req.grantkit.fetch(url)).json())));
 * ```
 */
export type GrantkitClient = AuthClient;
