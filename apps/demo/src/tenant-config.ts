import { verintTokenUrl } from '@grantkit/core';

/** A real Verint tenant, read from the environment. The secret is never printed. */
export interface TenantConfig {
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The token endpoint: `VERINT_TOKEN_URL`, or the documented one built from the domain. */
  readonly tokenUrl: string;
  /** `http:` is allowed only for a loopback token URL or API (local gateways, tests). */
  readonly allowInsecureRequests: boolean;
  /** Where the Coaching API lives, when `VERINT_API_BASE_URL` is set; without it only tokens are fetched. */
  readonly apiBaseUrl: string | undefined;
  /** The read endpoint to call under `apiBaseUrl`. */
  readonly apiPath: string;
}

/** The environment is set, but not well enough to run against the tenant. */
export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
}

const NAMES = [
  'VERINT_DOMAIN',
  'VERINT_CLIENT_ID',
  'VERINT_CLIENT_SECRET',
  'VERINT_TOKEN_URL',
  'VERINT_API_BASE_URL',
  'VERINT_API_PATH',
] as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TenantConfigError(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new TenantConfigError(`${name} must be an https: URL (http: only on loopback), got ${url.origin}`);
  }
  return url;
}

/**
 * Reads the real-tenant settings. `undefined` when no `VERINT_*` variable is set: the demo then runs on its
 * embedded server. Throws {@link TenantConfigError} naming what is missing or malformed.
 */
export function readTenantConfig(
  env: Readonly<Record<string, string | undefined>>,
): TenantConfig | undefined {
  const value = (name: (typeof NAMES)[number]): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  if (NAMES.every((name) => value(name) === undefined)) return undefined;

  const missing = (['VERINT_DOMAIN', 'VERINT_CLIENT_ID', 'VERINT_CLIENT_SECRET'] as const).filter(
    (name) => value(name) === undefined,
  );
  if (missing.length > 0) {
    throw new TenantConfigError(
      `to run against a real tenant set ${missing.join(', ')} as well (or unset every VERINT_* variable to use the embedded server)`,
    );
  }
  const domain = value('VERINT_DOMAIN') ?? '';
  const explicitTokenUrl = value('VERINT_TOKEN_URL');
  let tokenUrl: URL;
  try {
    tokenUrl = parseUrl('VERINT_TOKEN_URL', explicitTokenUrl ?? verintTokenUrl({ domain }));
  } catch (error) {
    if (error instanceof TenantConfigError) throw error;
    throw new TenantConfigError(`VERINT_DOMAIN is not a tenant name: ${JSON.stringify(domain)}`);
  }
  const api = value('VERINT_API_BASE_URL');
  const apiBaseUrl = api === undefined ? undefined : parseUrl('VERINT_API_BASE_URL', api);
  const apiPath = value('VERINT_API_PATH') ?? '/coaching/v1/sessions';
  if (!apiPath.startsWith('/')) throw new TenantConfigError('VERINT_API_PATH must start with /');
  return {
    domain,
    clientId: value('VERINT_CLIENT_ID') ?? '',
    clientSecret: value('VERINT_CLIENT_SECRET') ?? '',
    tokenUrl: tokenUrl.href,
    allowInsecureRequests: tokenUrl.protocol === 'http:' || apiBaseUrl?.protocol === 'http:',
    apiBaseUrl: apiBaseUrl?.href.replace(/\/+$/, ''),
    apiPath,
  };
}
