import { describe, expect, it } from 'vitest';
import { readTenantConfig, TenantConfigError } from './tenant-config.js';

const base = { VERINT_DOMAIN: 'acme', VERINT_CLIENT_ID: 'svc', VERINT_CLIENT_SECRET: 's3cret' };

describe('readTenantConfig', () => {
  it('is undefined without VERINT_* variables, so the embedded server is used', () => {
    expect(readTenantConfig({ PATH: '/usr/bin', VERINT_DOMAIN: ' ' })).toBeUndefined();
  });

  it('builds the documented token URL from the domain', () => {
    expect(readTenantConfig(base)).toMatchObject({
      tokenUrl: 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
      allowInsecureRequests: false,
      apiBaseUrl: undefined,
      apiPath: '/coaching/v1/sessions',
    });
  });

  it('takes VERINT_TOKEN_URL and VERINT_API_BASE_URL as given', () => {
    const config = readTenantConfig({
      ...base,
      VERINT_TOKEN_URL: 'https://login.example/realms/acme/protocol/openid-connect/token',
      VERINT_API_BASE_URL: 'https://api.example/',
    });
    expect(config?.tokenUrl).toBe('https://login.example/realms/acme/protocol/openid-connect/token');
    expect(config?.apiBaseUrl).toBe('https://api.example');
  });

  it('refuses plain http except on loopback', () => {
    expect(() => readTenantConfig({ ...base, VERINT_TOKEN_URL: 'http://auth.acme/token' })).toThrow(
      /must be an https: URL/,
    );
    expect(
      readTenantConfig({ ...base, VERINT_TOKEN_URL: 'http://127.0.0.1:9/token' })?.allowInsecureRequests,
    ).toBe(true);
  });

  it('names what is missing or malformed', () => {
    expect(() => readTenantConfig({ VERINT_CLIENT_SECRET: 'x' })).toThrow(TenantConfigError);
    expect(() => readTenantConfig({ VERINT_CLIENT_SECRET: 'x' })).toThrow(/VERINT_DOMAIN, VERINT_CLIENT_ID/);
    expect(() => readTenantConfig({ ...base, VERINT_DOMAIN: 'not a domain' })).toThrow(/not a tenant name/);
    expect(() => readTenantConfig({ ...base, VERINT_API_BASE_URL: 'nope' })).toThrow(/not a URL/);
  });
});
