import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key.js';

/** What goes into an access token. */
export interface AccessTokenClaims {
  readonly issuer: string;
  readonly clientId: string;
  readonly audience: string | readonly string[];
  readonly scope: string;
  readonly issuedAt: number;
  readonly lifetimeSeconds: number;
}

/** A signed access token and its id. */
export interface SignedAccessToken {
  readonly token: string;
  readonly jti: string;
}

/** Signs a Keycloak-shaped service-account access token (RS256). Times are epoch ms. */
export async function signAccessToken(
  key: SigningKey,
  claims: AccessTokenClaims,
): Promise<SignedAccessToken> {
  const iat = Math.floor(claims.issuedAt / 1000);
  const jti = crypto.randomUUID();
  const subject = `service-account-${claims.clientId}`;
  const token = await new SignJWT({
    typ: 'Bearer',
    azp: claims.clientId,
    scope: claims.scope,
    clientId: claims.clientId,
    preferred_username: subject,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(claims.issuer)
    .setSubject(subject)
    .setAudience(typeof claims.audience === 'string' ? claims.audience : [...claims.audience])
    .setIssuedAt(iat)
    .setExpirationTime(iat + claims.lifetimeSeconds)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti };
}
