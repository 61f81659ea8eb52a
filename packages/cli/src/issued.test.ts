import { describe, expect, it } from 'vitest';
import { type Issued, issuedJson, issuedText } from './issued.js';

const segment = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jws = (header: object, claims: object): string => `${segment(header)}.${segment(claims)}.c2lnbmF0dXJl`;

const receivedAt = Date.UTC(2026, 11, 2, 5, 0, 0);
const issued = (accessToken: string, scope?: string): Issued => ({
  tokenUrl: 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
  latencyMs: 42,
  receivedAt,
  token: { accessToken, tokenType: 'Bearer', expiresAt: receivedAt + 300_000, ...(scope ? { scope } : {}) },
});

const keycloakToken = jws(
  { alg: 'RS256', typ: 'JWT', kid: 'k1' },
  {
    iss: 'https://auth.acme/auth/realms/acme',
    aud: ['coaching', 'account'],
    azp: 'svc',
    sub: 'service-account-svc',
    iat: receivedAt / 1000,
    exp: receivedAt / 1000 + 300,
    scope: 'profile email',
    realm_access: { roles: ['offline_access', 'coaching-reader'] },
    resource_access: { coaching: { roles: ['read', 'write'] }, account: { roles: ['view-profile'] } },
    email: 'not@shown.example',
  },
);

describe('the report', () => {
  it('shows Keycloak roles one row per client, audiences joined, times as dates', () => {
    const text = issuedText(issued(keycloakToken, 'profile email'));

    expect(text).toMatch(/lifetime +300 s \(5 min\), expires 2026-12-02T05:05:00\.000Z/);
    expect(text).toMatch(/aud +coaching, account\n/);
    expect(text).toMatch(/realm_access\.roles +offline_access, coaching-reader\n/);
    expect(text).toMatch(/resource_access\.coaching\.roles +read, write\n/);
    expect(text).toMatch(/resource_access\.account\.roles +view-profile\n/);
    expect(text).toMatch(/iat +1796187600 \(2026-12-02T05:00:00\.000Z\)/);
    expect(text).not.toContain('not@shown.example');
    expect(text).not.toContain(keycloakToken);
  });

  it('keeps the JSON claims as the server sent them', () => {
    const json = issuedJson(issued(keycloakToken), false);

    expect(json['jwt']).toEqual({
      header: { alg: 'RS256', typ: 'JWT', kid: 'k1' },
      claims: expect.objectContaining({
        realm_access: { roles: ['offline_access', 'coaching-reader'] },
        resource_access: { coaching: { roles: ['read', 'write'] }, account: { roles: ['view-profile'] } },
      }),
    });
    expect(json['scope']).toBeNull();
    expect(JSON.stringify(json)).not.toContain(keycloakToken);
  });

  it('says so when the token is opaque, and that the server did not name a scope', () => {
    const text = issuedText(issued('2YotnFZFEjr1zCsicMWpAA'));

    expect(text).toMatch(/scope +\(the server did not say\)/);
    expect(text).toContain('note: the token is not a JWT');
    expect(text).not.toContain('JWT claims');
  });

  it("notes a server clock that differs from this machine's", () => {
    const skewed = jws({ alg: 'RS256' }, { iat: receivedAt / 1000 - 120, exp: receivedAt / 1000 + 180 });

    expect(issuedText(issued(skewed))).toContain("note: the server's clock is 120 s behind this machine's");
  });
});
