import { isGrantkitError, type TokenSource, verintCoaching } from '@grantkit/core';
import { authFetch } from '@grantkit/fetch';
import { authHooks } from '@grantkit/ky';
import { telemetry } from '@grantkit/otel';
import ky from 'ky';
import type { RunOutcome } from './embedded-run.js';
import { type AdapterResult, formatReport } from './report.js';
import { type AdapterUnderTest, tracedCall } from './scenario.js';
import { AdapterTally } from './tally.js';
import type { TenantConfig } from './tenant-config.js';

/** A fetch that counts the `401`s it hands back: each one is a replay by the adapter above it. */
function counting401s(): { fetch: typeof fetch; readonly count: number } {
  let count = 0;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) count += 1;
      return response;
    },
    get count() {
      return count;
    },
  };
}

function tenantSource(config: TenantConfig, tally: AdapterTally, onRequest: () => void): TokenSource {
  return verintCoaching({
    domain: config.domain,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tokenUrl: config.tokenUrl,
    allowInsecureRequests: config.allowInsecureRequests,
    retry: { attempts: 2, baseDelayMs: 250, maxDelayMs: 2_000 },
    timeoutMs: 10_000,
    onEvent: telemetry({
      onEvent: (event) => {
        tally.onEvent(event);
        if (event.type === 'token-request') onRequest();
      },
    }),
  });
}

/** Why a token could not be had, in words, without the secret or a token. */
function describeTokenFailure(error: unknown, tokenUrl: string): string {
  if (!isGrantkitError(error)) return `could not get a token from ${tokenUrl}: ${String(error)}`;
  const hint: Record<string, string> = {
    GRANTKIT_NETWORK_ERROR:
      'the token URL is unreachable (check VERINT_DOMAIN / VERINT_TOKEN_URL and the network)',
    GRANTKIT_TIMEOUT: 'the token URL did not answer in time',
    GRANTKIT_OAUTH_ERROR:
      'the server refused the client credentials (check VERINT_CLIENT_ID / VERINT_CLIENT_SECRET)',
    GRANTKIT_INVALID_RESPONSE:
      'the answer was not a token response (is VERINT_TOKEN_URL the token endpoint?)',
  };
  return `could not get a token from ${tokenUrl}: ${error.code} — ${hint[error.code] ?? error.message}${error.endpointStatus ? ` [HTTP ${error.endpointStatus}]` : ''}`;
}

/**
 * The fetch and ky parts against a real Verint tenant: each adapter gets a token (proving the credentials
 * and the token URL) and, when `VERINT_API_BASE_URL` is set, reads `VERINT_API_PATH` twice through it.
 */
export async function runTenant(config: TenantConfig, log: (line: string) => void): Promise<RunOutcome> {
  const startedAt = Date.now();
  log(`Real tenant "${config.domain}": client ${config.clientId}, token URL ${config.tokenUrl}`);
  if (config.apiBaseUrl === undefined) {
    log('VERINT_API_BASE_URL is not set: getting tokens only, no API calls.');
  }

  const results: AdapterResult[] = [];
  const problems: string[] = [];
  for (const name of ['fetch', 'ky'] as const) {
    const tally = new AdapterTally(name, startedAt);
    let tokenRequests = 0;
    const source = tenantSource(config, tally, () => {
      tokenRequests += 1;
    });
    const transport = counting401s();
    let gotToken = true;
    try {
      await source.getToken();
    } catch (error) {
      gotToken = false;
      problems.push(`${name}: ${describeTokenFailure(error, config.tokenUrl)}`);
    }
    const base = config.apiBaseUrl;
    if (base !== undefined && gotToken) {
      const origins = [new URL(base).origin];
      const authorizedFetch = authFetch(source, { origins, fetch: transport.fetch });
      const kyClient = ky.create({
        hooks: authHooks(source, { origins }),
        fetch: transport.fetch,
        retry: { limit: 1, statusCodes: [] },
        throwHttpErrors: false,
      });
      const adapter: AdapterUnderTest = {
        name,
        clientId: config.clientId,
        tally,
        call: (path) =>
          name === 'fetch' ? authorizedFetch(`${base}${path}`) : kyClient.get(`${base}${path}`),
      };
      for (let i = 0; i < 2; i += 1) await tracedCall(adapter, config.apiPath, Date.now);
      for (const call of tally.failed)
        problems.push(`${name}: GET ${config.apiPath} answered ${call.problem}`);
    }
    results.push({
      name,
      via: name === 'fetch' ? '@grantkit/fetch authFetch' : '@grantkit/ky authHooks',
      tally,
      tokenRequests,
      replays: transport.count,
    });
  }
  const title = `Grantkit demo — real tenant "${config.domain}", ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  return { report: formatReport(title, results), problems };
}
