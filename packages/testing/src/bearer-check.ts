import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { AuthServer } from './auth-server.js';
import type { ResourceServerEnv } from './resource-server-env.js';

/**
 * What the bearer check needs from the authorization server.
 *
 * @example
 * ```ts
 * createResourceServer({ auth, realm: 'demo' }); // auth is a TokenAuthority
 * ```
 */
export type TokenAuthority = Pick<AuthServer, 'jwks' | 'clock' | 'isRevoked'>;

const descriptions: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The access token expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The access token signature is invalid',
  ERR_JWKS_NO_MATCHING_KEY: 'The access token was signed with an unknown key',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'The access token failed claim validation',
};

const describe = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' ? descriptions[code] : undefined) ?? 'The access token is malformed';
};

/** Verifies `token`; answers the reason it is not acceptable, or its claims. */
async function verify(
  authority: TokenAuthority,
  realm: string,
  audience: string | undefined,
  token: string,
): Promise<{ claims: JWTPayload } | { problem: string }> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(authority.jwks), {
      algorithms: ['RS256'],
      currentDate: new Date(authority.clock.now()),
      ...(audience === undefined ? {} : { audience }),
    }));
  } catch (error) {
    return { problem: describe(error) };
  }
  if (!claims.iss?.endsWith(`/realms/${realm}`))
    return { problem: 'The access token was issued for another realm' };
  if (authority.isRevoked(token)) return { problem: 'The access token was revoked' };
  return { claims };
}

/**
 * Hono middleware that requires `Authorization: Bearer <jwt>` signed by `authority`, RFC 6750 style.
 */
export function bearerCheck(
  authority: TokenAuthority,
  realm: string,
  audience: string | undefined,
): MiddlewareHandler<ResourceServerEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    const token = match?.[1];
    if (token === undefined) {
      c.header('WWW-Authenticate', `Bearer realm="${realm}"`);
      return c.json({ error: 'unauthorized', error_description: 'Bearer token required' }, 401);
    }
    const result = await verify(authority, realm, audience, token);
    if ('problem' in result) {
      c.header(
        'WWW-Authenticate',
        `Bearer realm="${realm}", error="invalid_token", error_description="${result.problem}"`,
      );
      return c.json({ error: 'invalid_token', error_description: result.problem }, 401);
    }
    c.set('claims', result.claims);
    c.set('accessToken', token);
    await next();
    return undefined;
  };
}
