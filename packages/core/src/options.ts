import type { BasicEncoding } from './basic-auth.js';
import type { ClientSecret } from './client-secret.js';
import { systemClock } from './clock.js';
import { GrantkitError } from './errors.js';
import type { RequestSettings } from './request.js';
import type { Timing } from './schedule.js';
import type { Clock, TokenEventListener, TokenStore, WaitUntil } from './types.js';

/**
 * Options of {@link clientCredentials}. Every default, and why, is in the core README.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = {
 *   tokenUrl: 'https://auth.acme/auth/realms/acme/protocol/openid-connect/token',
 *   clientId: 'svc',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   scope: 'coaching.read',
 * };
 * ```
 */
export interface ClientCredentialsOptions {
  /** The token endpoint. Give this or `issuer`. */
  readonly tokenUrl?: string | URL | undefined;
  /** The issuer, whose `/.well-known/openid-configuration` names the token endpoint. Give this or `tokenUrl`. */
  readonly issuer?: string | URL | undefined;
  readonly clientId: string;
  /**
   * The client secret, or a function (sync or async) returning the current one, read for every token
   * request and once more after the server refuses the client, so a rotated secret is picked up without a
   * restart.
   */
  readonly clientSecret: ClientSecret;
  /** Space-separated scopes to ask for. */
  readonly scope?: string | undefined;
  /** Sent as the `audience` parameter (Auth0, Keycloak token exchange style). */
  readonly audience?: string | undefined;
  /** Sent as the RFC 8707 `resource` parameter. */
  readonly resource?: string | undefined;
  /** More token request parameters. They become part of the cache key. */
  readonly parameters?: Readonly<Record<string, string>> | undefined;
  /** How the client authenticates. Default `client_secret_basic`, the documented Keycloak / Verint scheme. */
  readonly clientAuth?: 'client_secret_basic' | 'client_secret_post' | undefined;
  /**
   * Pins how `Authorization: Basic` encodes id and secret: `'rfc6749'` (form-urlencoded first, Keycloak
   * 20+) or `'raw'` (Keycloak before 20). Default: `'rfc6749'`, and when the server refuses the client and
   * the two encodings differ, the other one once; the one that works is kept for the life of the source.
   */
  readonly basicEncoding?: BasicEncoding | undefined;
  /** Token and discovery responses larger than this (after decompression) fail. Default 1 048 576 (1 MiB). */
  readonly maxResponseBytes?: number | undefined;
  /** The fetch used for token requests. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Time source. Default: monotonic time in epoch ms (see the core README) and `setTimeout`. */
  readonly clock?: Clock | undefined;
  /** Abandon a token request after this long. Default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Retries of a token request. Defaults: 3 attempts, 500 ms base, 30 000 ms cap. */
  readonly retry?:
    | {
        readonly attempts?: number | undefined;
        readonly baseDelayMs?: number | undefined;
        readonly maxDelayMs?: number | undefined;
      }
    | undefined;
  /** Stop serving a token this long before it expires. Default 30 000 ms, scaled to 10 % of the lifetime (at least 1 s). */
  readonly expirySkewMs?: number | undefined;
  /** Refresh in the background during this window before expiry. Default 300 000 ms, at most 25 % of the lifetime. */
  readonly refreshAheadMs?: number | undefined;
  /**
   * The lifetime assumed when `expires_in` is unusable, or missing from a token that is not a JWT with `exp`
   * and `iat` (whose `exp - iat` is used first). Default 300 000 ms.
   */
  readonly defaultLifetimeMs?: number | undefined;
  /** Lifetimes above this are clamped. Default 86 400 000 ms (a day). */
  readonly maxLifetimeMs?: number | undefined;
  /**
   * Where tokens are kept. Default: one `MemoryTokenStore` per clock — per process with the default clock —
   * so sources with identical configurations (secret included) share one token and one request.
   */
  readonly store?: TokenStore | undefined;
  /** Permit `http:` token URLs (loopback tests, local development). Default `false`. */
  readonly allowInsecureRequests?: boolean | undefined;
  /** Observability: state transitions, token requests, errors. Never given a token or a secret. */
  readonly onEvent?: TokenEventListener | undefined;
  /** Where background work goes, e.g. Workers' `ctx.waitUntil`. Per-call `getToken({ waitUntil })` wins. */
  readonly waitUntil?: WaitUntil | undefined;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`; tests pass their own. */
  readonly random?: (() => number) | undefined;
}

export interface Settings extends RequestSettings {
  readonly attempts: number;
  readonly clock: Clock;
  readonly store: TokenStore | undefined;
  readonly onEvent: TokenEventListener | undefined;
  readonly waitUntil: WaitUntil | undefined;
  readonly random: () => number;
}

/** The timing defaults (the core README says why each). Sources that keep them all share this object. */
const DEFAULT_TIMING: Timing = {
  expirySkewMs: 30_000,
  refreshAheadMs: 300_000,
  defaultLifetimeMs: 300_000,
  maxLifetimeMs: 86_400_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

const isDefault = (timing: Timing): boolean =>
  (Object.keys(DEFAULT_TIMING) as (keyof Timing)[]).every((name) => timing[name] === DEFAULT_TIMING[name]);

function invalid(message: string): GrantkitError {
  return new GrantkitError('GRANTKIT_CONFIGURATION', message);
}

function url(value: string | URL, name: string, allowInsecure: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(`${name} is not a URL`);
  }
  if (parsed.protocol === 'http:' && !allowInsecure) {
    throw invalid(
      `${name} must use https: (set allowInsecureRequests for loopback tests and local development)`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid(`${name} must be an https: URL`);
  if (parsed.username || parsed.password) throw invalid(`${name} must not carry credentials`);
  return parsed;
}

/**
 * The token URL as a string. The caller's own string when it is already normal: sources built from one
 * configured URL (one Keycloak realm, a client per tenant) then share one string rather than a copy each.
 */
function href(value: string | URL, allowInsecure: boolean): string {
  const normal = url(value, 'tokenUrl', allowInsecure).href;
  return normal === value ? value : normal;
}

function count(value: number | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalid(`${name} must be a finite number >= ${min}`);
  }
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${name} must be a non-empty string`);
  return value;
}

/** Validates the options and fills in the defaults. Throws `GRANTKIT_CONFIGURATION` on anything unusable. */
export function settle(options: ClientCredentialsOptions): Settings {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const allowInsecure = options.allowInsecureRequests === true;
  if ((options.tokenUrl === undefined) === (options.issuer === undefined)) {
    throw invalid('give exactly one of tokenUrl and issuer');
  }
  const clientAuth = options.clientAuth ?? 'client_secret_basic';
  if (clientAuth !== 'client_secret_basic' && clientAuth !== 'client_secret_post') {
    throw invalid('clientAuth must be client_secret_basic or client_secret_post');
  }
  const parameters: Record<string, string> = { ...options.parameters };
  for (const name of ['scope', 'audience', 'resource'] as const) {
    const value = options[name];
    if (value !== undefined) parameters[name] = text(value, name);
  }
  for (const [name, value] of Object.entries(parameters)) {
    if (typeof value !== 'string') throw invalid(`parameter ${name} must be a string`);
  }
  const basicEncoding = options.basicEncoding;
  if (basicEncoding !== undefined && basicEncoding !== 'rfc6749' && basicEncoding !== 'raw') {
    throw invalid("basicEncoding must be 'rfc6749' or 'raw'");
  }
  const clientSecret = options.clientSecret;
  if (typeof clientSecret !== 'function' && (typeof clientSecret !== 'string' || clientSecret === '')) {
    throw invalid('clientSecret must be a non-empty string or a function returning one');
  }
  if ('grant_type' in parameters || 'client_secret' in parameters) {
    throw invalid('parameters must not set grant_type or client credentials');
  }
  const retry = options.retry ?? {};
  const baseDelayMs = count(retry.baseDelayMs, DEFAULT_TIMING.baseDelayMs, 'retry.baseDelayMs');
  const timing: Timing = {
    expirySkewMs: count(options.expirySkewMs, DEFAULT_TIMING.expirySkewMs, 'expirySkewMs'),
    refreshAheadMs: count(options.refreshAheadMs, DEFAULT_TIMING.refreshAheadMs, 'refreshAheadMs'),
    defaultLifetimeMs: count(
      options.defaultLifetimeMs,
      DEFAULT_TIMING.defaultLifetimeMs,
      'defaultLifetimeMs',
      1,
    ),
    maxLifetimeMs: count(options.maxLifetimeMs, DEFAULT_TIMING.maxLifetimeMs, 'maxLifetimeMs', 1),
    baseDelayMs,
    maxDelayMs: count(retry.maxDelayMs, Math.max(DEFAULT_TIMING.maxDelayMs, baseDelayMs), 'retry.maxDelayMs'),
  };
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw invalid('fetch must be a function');
  return {
    tokenUrl: options.tokenUrl === undefined ? undefined : href(options.tokenUrl, allowInsecure),
    issuer: options.issuer === undefined ? undefined : url(options.issuer, 'issuer', allowInsecure),
    clientId: text(options.clientId, 'clientId'),
    clientSecret,
    clientAuth,
    basicEncoding,
    parameters,
    fetch: options.fetch,
    timeoutMs: count(options.timeoutMs, 10_000, 'timeoutMs', 1),
    maxResponseBytes: count(options.maxResponseBytes, 1_048_576, 'maxResponseBytes', 1),
    allowInsecureRequests: allowInsecure,
    timing: isDefault(timing) ? DEFAULT_TIMING : timing,
    attempts: Math.floor(count(retry.attempts, 3, 'retry.attempts', 1)),
    clock: options.clock ?? systemClock,
    store: options.store,
    onEvent: options.onEvent,
    waitUntil: options.waitUntil,
    random: options.random ?? Math.random,
  };
}
