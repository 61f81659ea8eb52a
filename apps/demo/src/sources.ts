import { type TokenEvent, type TokenSource, verintCoaching } from '@grantkit/core';
import { telemetry } from '@grantkit/otel';
import { DEMO_DOMAIN, DEMO_SECRET } from './realm.js';

/** Which client of the embedded tenant, where its server is, and who listens to its token cache. */
export interface DemoSourceOptions {
  readonly authOrigin: string;
  readonly clientId: string;
  readonly onEvent: (event: TokenEvent) => void;
}

/**
 * A token source for the embedded tenant, built the way a user builds one for Verint: `verintCoaching`
 * makes the documented `/auth/realms/{domain}/protocol/openid-connect/token` URL, here on a loopback origin,
 * and `telemetry()` from `@grantkit/otel` reports its token requests to OpenTelemetry.
 */
export function demoSource(options: DemoSourceOptions): TokenSource {
  return verintCoaching({
    domain: DEMO_DOMAIN,
    clientId: options.clientId,
    clientSecret: DEMO_SECRET,
    authOrigin: options.authOrigin,
    allowInsecureRequests: true,
    // Outages in the live page should be ridden out visibly, not waited out for minutes.
    retry: { attempts: 2, baseDelayMs: 250, maxDelayMs: 2_000 },
    timeoutMs: 5_000,
    // Spans and metrics go to the global OpenTelemetry providers: no-ops unless `--spans` registers the SDK.
    // The demo opts in to the client id, so that each adapter's spans say whose they are.
    onEvent: telemetry({ onEvent: options.onEvent, attributes: { 'oauth2.client_id': options.clientId } }),
  });
}
