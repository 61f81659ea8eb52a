import * as oidc from 'openid-client';
import type { Answer } from './bounded-fetch.js';
import { GrantkitError, isGrantkitError, OAuthError } from './errors.js';

type Loose = { readonly [key: string]: unknown } | undefined;

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** A copy of an error that keeps its name, code and message and drops what may hold a token (bodies). */
function scrub(error: unknown): Error {
  const e = error as Loose;
  const copy = new Error(String(e?.['message'] ?? error));
  copy.name = String(e?.['name'] ?? 'Error');
  if (e?.['code'] !== undefined) Object.defineProperty(copy, 'code', { value: e['code'], enumerable: true });
  return copy;
}

/** openid-client's codes for an answer it could not use as a token response. */
const UNUSABLE = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON',
  'OAUTH_UNSUPPORTED_OPERATION',
]);

/** What the failed token request was, besides the thrown error. */
export interface Attempt {
  /** `origin + pathname` of the token endpoint, for messages. */
  readonly endpoint?: string | undefined;
  /** The answer read in full, when there was one. */
  readonly answer?: Answer | undefined;
}

const at = (attempt: Attempt): string => (attempt.endpoint ? ` (${attempt.endpoint})` : '');

/**
 * Maps whatever a token request threw onto a {@link GrantkitError}, by openid-client's error classes and
 * `code`s (never by message text): `ResponseBodyError` and a `WWWAuthenticateChallengeError` (whose OAuth
 * error is in the body that was read) are OAuth errors, `ClientError` codes tell a timeout from an unusable
 * answer, and a `TypeError` from fetch is a network failure. Our own errors, which openid-client wraps as a
 * `ClientError`'s `cause`, come back as they were. Response bodies never travel along as `cause`.
 */
export function classify(error: unknown, now: number, attempt: Attempt = {}): GrantkitError {
  if (isGrantkitError(error)) return error;
  if (error instanceof oidc.ClientError && isGrantkitError(error.cause)) return error.cause;
  const answer = attempt.answer;
  const status = answer?.status;
  const retryAfter = retryAfterMs(answer?.headers.get('retry-after'), now);
  const cause = scrub(error);
  const code = error instanceof oidc.ClientError ? error.code : undefined;
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
  if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || timedOut) {
    return new GrantkitError('GRANTKIT_TIMEOUT', `token request timed out${at(attempt)}`, {
      cause,
      retryable: true,
    });
  }
  const body = answer?.json as Loose;
  const oauthError =
    error instanceof oidc.ResponseBodyError
      ? { error: error.error, error_description: error.error_description }
      : // openid-client reads an OAuth error body only from a 4xx without a challenge: else it is the body read.
        error instanceof oidc.WWWAuthenticateChallengeError || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM'
        ? body
        : undefined;
  if (typeof oauthError?.['error'] === 'string') {
    const description = oauthError['error_description'];
    return new OAuthError(oauthError['error'], typeof description === 'string' ? description : undefined, {
      status,
      retryAfterMs: retryAfter,
      cause,
    });
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError || (code !== undefined && UNUSABLE.has(code))) {
    const failed = status !== undefined && (status >= 500 || status === 429 || status === 408);
    // A 2xx that is not a token (an HTML error page, a proxy) may be passing; a 4xx without an OAuth error
    // or a token type other than Bearer (openid-client: an unsupported operation) is not.
    const passing =
      failed || ((status === undefined || status < 300) && code !== 'OAUTH_UNSUPPORTED_OPERATION');
    return new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      `unusable token endpoint response${status ? ` [HTTP ${status}]` : ''}: ${code ?? 'OAUTH_WWW_AUTHENTICATE_CHALLENGE'}`,
      { status, retryable: passing, retryAfterMs: retryAfter, cause },
    );
  }
  // fetch's TypeError, or whatever a custom fetch threw (openid-client wraps that in a code-less ClientError).
  const original = error instanceof oidc.ClientError && code === undefined ? error.cause : error;
  return new GrantkitError(
    'GRANTKIT_NETWORK_ERROR',
    `token request failed: no answer from the token endpoint${at(attempt)}`,
    { cause: original instanceof TypeError ? original : scrub(original), retryable: true },
  );
}
