type JsonObject = Record<string, unknown>;

/** A JWT's header and claims, read without verifying the signature (the CLI only shows them). */
export interface DecodedJwt {
  readonly header: JsonObject;
  readonly claims: JsonObject;
}

function part(segment: string | undefined): JsonObject | undefined {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The header and claims of a signed JWT (JWS compact form), or `undefined` for an opaque or encrypted token. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const segments = token.split('.');
  if (segments.length !== 3) return undefined;
  const header = part(segments[0]);
  const claims = part(segments[1]);
  return header && claims ? { header, claims } : undefined;
}

/** The header fields shown: which key signed it and how. */
export const HEADER_FIELDS = ['alg', 'kid', 'typ'] as const;

/**
 * The claims shown: who issued it, for whom, when, and what it grants (Keycloak's `realm_access` and
 * `resource_access` roles, a plain `roles` claim elsewhere).
 */
export const CLAIM_FIELDS = [
  'iss',
  'aud',
  'azp',
  'sub',
  'iat',
  'nbf',
  'exp',
  'scope',
  'realm_access',
  'resource_access',
  'roles',
] as const;

/** `fields` of `object` that are present, in that order. */
export function pick(object: JsonObject, fields: readonly string[]): JsonObject {
  return Object.fromEntries(fields.filter((field) => object[field] !== undefined).map((f) => [f, object[f]]));
}
