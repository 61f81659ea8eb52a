import type { JWTPayload } from 'jose';

/**
 * The Hono environment of the fake resource server: after the bearer check, `c.get('claims')` holds the
 * verified access token's claims and `c.get('accessToken')` the token itself.
 *
 * @example
 * ```ts
 * createResourceServer({ auth, realm: 'demo', routes: (app) => app.get('/me', (c) => c.text(c.get('claims').sub ?? '')) });
 * ```
 */
export interface ResourceServerEnv {
  Variables: {
    claims: JWTPayload;
    accessToken: string;
  };
}
