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
function scrub(error: unknown): unknown {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as unknown as Loose)?.['code'];
  if (code !== undefined) Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  return copy;
}

function statusOf(response: unknown): { status?: number; retryAfter?: string | null } {
  return response instanceof Response
    ? { status: response.status, retryAfter: response.headers.get('retry-after') }
    : {};
}

/**
 * Maps whatever a token request threw (openid-client / oauth4webapi errors, fetch's TypeError, an abort)
 * onto a {@link GrantkitError}. Response bodies never travel along: a 200 body holds the token.
 */
export function classify(error: unknown, now: number): GrantkitError {
  const e = error as Loose;
  const name = e?.['name'];
  const code = e?.['code'];
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'OAUTH_TIMEOUT') {
    return new GrantkitError('GRANTKIT_TIMEOUT', 'token request timed out', {
      cause: error,
      retryable: true,
    });
  }
  // oauth4webapi: an OAuth error in the body, or in a WWW-Authenticate challenge.
  const challenge = (e?.['cause'] as Loose[] | undefined)?.[0]?.['parameters'] as Loose;
  const oauthError = name === 'ResponseBodyError' ? e?.['error'] : challenge?.['error'];
  const { status, retryAfter } = statusOf(e?.['response']);
  if (typeof oauthError === 'string') {
    const description =
      name === 'ResponseBodyError' ? e?.['error_description'] : challenge?.['error_description'];
    return new OAuthError(oauthError, typeof description === 'string' ? description : undefined, {
      status: (e?.['status'] as number | undefined) ?? status,
      retryAfterMs: retryAfterMs(retryAfter, now),
      cause: scrub(error),
    });
  }
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    // RESPONSE_IS_NOT_CONFORM / _NOT_JSON carry the Response as cause.
    const answer = statusOf(e?.['cause']);
    const httpStatus = answer.status ?? (e?.['status'] as number | undefined) ?? status;
    const failedStatus =
      httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408);
    const unsupported = /token_type/.test(String(e?.['message'])) || name === 'UnsupportedOperationError';
    return new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      `unusable token endpoint response${httpStatus ? ` [HTTP ${httpStatus}]` : ''}: ${code}`,
      {
        status: httpStatus,
        retryable: failedStatus || (!unsupported && (httpStatus === undefined || httpStatus < 300)),
        retryAfterMs: retryAfterMs(answer.retryAfter ?? retryAfter, now),
        cause: scrub(error),
      },
    );
  }
  if (name === 'UnsupportedOperationError') {
    return new GrantkitError(
      'GRANTKIT_INVALID_RESPONSE',
      'token endpoint answered an unsupported token_type',
      {
        cause: scrub(error),
      },
    );
  }
  return new GrantkitError(
    'GRANTKIT_NETWORK_ERROR',
    'token request failed: no answer from the token endpoint',
    {
      cause: error instanceof TypeError ? error : scrub(error),
      retryable: true,
    },
  );
}

/**
 * A 401 with a challenge that names no error (`WWW-Authenticate: Basic realm="…"`, as RFC 6749 §5.2 allows):
 * oauth4webapi throws before reading the body, where the RFC 6749 §5.2 `error` is. Reads it from there.
 */
export async function challengeBodyError(error: unknown, now: number): Promise<OAuthError | undefined> {
  const e = error as Loose;
  const response = e?.['response'];
  const challenge = (e?.['cause'] as Loose[] | undefined)?.[0]?.['parameters'] as Loose;
  if (e?.['code'] !== 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' || !(response instanceof Response)) return undefined;
  if (typeof challenge?.['error'] === 'string' || response.bodyUsed) return undefined;
  const body = (await response.json().catch(() => undefined)) as Loose;
  if (typeof body?.['error'] !== 'string') return undefined;
  const description = body['error_description'];
  return new OAuthError(body['error'], typeof description === 'string' ? description : undefined, {
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now),
    cause: scrub(error),
  });
}
