import { GrantkitError } from './errors.js';
import { lifetimeMs, type Timing } from './schedule.js';
import type { AccessToken } from './types.js';

type Loose = { readonly [key: string]: unknown };

/** Visible ASCII only: a token with a control character, white space or non-ASCII cannot go in a header. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** `exp - iat` of a JWT access token, in seconds: a duration, so the local clock's skew does not enter. */
export function jwtLifetimeSeconds(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as Loose;
    const { exp, iat } = claims;
    return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? exp - iat : undefined;
  } catch {
    return undefined;
  }
}

const unusable = (why: string): GrantkitError =>
  new GrantkitError('GRANTKIT_INVALID_RESPONSE', `unusable token endpoint response: ${why}`, {
    retryable: true,
  });

/**
 * A token response body as an {@link AccessToken}: Bearer only, an `access_token` that can travel in a
 * header, and a lifetime from `expires_in`, else the JWT's `exp - iat`, else the default.
 */
export function accessTokenFrom(json: unknown, receivedAt: number, timing: Timing): AccessToken {
  const body = json as Loose | undefined;
  if (String(body?.['token_type']).toLowerCase() !== 'bearer') {
    throw new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      'token endpoint answered a token_type other than Bearer',
    );
  }
  const accessToken = body?.['access_token'];
  if (typeof accessToken !== 'string') throw unusable('no access_token');
  if (!HEADER_SAFE.test(accessToken))
    throw unusable('the access_token has characters that cannot go in an HTTP header');
  const expiresIn = body?.['expires_in'] ?? jwtLifetimeSeconds(accessToken);
  const scope = body?.['scope'];
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresAt: receivedAt + lifetimeMs(expiresIn, timing),
    ...(typeof scope === 'string' && { scope }),
  };
}
