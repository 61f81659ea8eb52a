import { GrantkitError, OAuthError } from './errors.js';

type Loose = { [key: string]: unknown } | undefined;

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

/** The Response an openid-client / oauth4webapi error carries, wherever it keeps it. */
export function responseOf(error: unknown): Response | undefined {
  const e = error as Loose;
  for (const candidate of [e?.['response'], e?.['cause']])
    if (candidate instanceof Response) return candidate;
  return undefined;
}

/**
 * Maps whatever a token request threw (openid-client / oauth4webapi errors, fetch's TypeError) onto a
 * {@link GrantkitError}. `body` is the error response's JSON when the caller could read it (a 401 with a
 * `WWW-Authenticate` challenge keeps its OAuth error there). Response bodies never travel along as
 * `cause`: a 200 body holds the token.
 */
export function classify(error: unknown, now: number, body?: Loose): GrantkitError {
  const e = error as Loose;
  const code = e?.['code'];
  const response = responseOf(error);
  const status = (e?.['status'] as number | undefined) ?? response?.status;
  const retryAfter = retryAfterMs(response?.headers.get('retry-after'), now);
  const cause = scrub(error);
  if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || e?.['name'] === 'TimeoutError') {
    return new GrantkitError('GRANTKIT_TIMEOUT', 'token request timed out', { cause, retryable: true });
  }
  const oauthError = e?.['name'] === 'ResponseBodyError' ? e : body;
  if (typeof oauthError?.['error'] === 'string') {
    const description = oauthError['error_description'];
    return new OAuthError(oauthError['error'], typeof description === 'string' ? description : undefined, {
      status,
      retryAfterMs: retryAfter,
      cause,
    });
  }
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    const failed = status !== undefined && (status >= 500 || status === 429 || status === 408);
    // A 2xx that is not a token (an HTML error page, a proxy) may be passing; a wrong token_type is not.
    const passing =
      failed || ((status === undefined || status < 300) && code !== 'OAUTH_UNSUPPORTED_OPERATION');
    return new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      `unusable token endpoint response${status ? ` [HTTP ${status}]` : ''}: ${code}`,
      { status, retryable: passing, retryAfterMs: retryAfter, cause },
    );
  }
  const original = error instanceof TypeError ? error : ((e?.['cause'] as unknown) ?? error);
  return new GrantkitError(
    'GRANTKIT_NETWORK_ERROR',
    'token request failed: no answer from the token endpoint',
    {
      cause: original instanceof TypeError ? original : scrub(original),
      retryable: true,
    },
  );
}
