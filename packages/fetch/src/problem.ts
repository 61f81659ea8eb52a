import { type GrantkitErrorCode, isGrantkitError } from '@grantkit/core';

/**
 * An RFC 9457 problem document for a token failure. It carries the stable `code`, never a token, a secret
 * or the token endpoint's own words.
 *
 * @example
 * ```ts
 * const problem: TokenProblem = { title: 'Service Unavailable', status: 503, code: 'GRANTKIT_TIMEOUT', detail: '…' };
 * ```
 */
export interface TokenProblem {
  readonly title: string;
  readonly status: 500 | 502 | 503;
  readonly code: GrantkitErrorCode;
  readonly detail: string;
  /** Seconds, when the token endpoint asked callers to wait (`Retry-After`). */
  readonly retryAfter?: number;
}

/**
 * The problem a server answers when it cannot get a token for the API it calls, or `undefined` when
 * `error` is not a Grantkit error. A failure that may pass (network, timeout, 5xx, 429) is `503`; an
 * unusable configuration is `500`; any other refusal or unusable answer of the token endpoint is `502`.
 *
 * @example
 * ```ts
 * const problem = tokenProblem(error);
 * if (problem) return Response.json(problem, { status: problem.status, headers: { 'content-type': 'application/problem+json' } });
 * ```
 */
export function tokenProblem(error: unknown): TokenProblem | undefined {
  if (!isGrantkitError(error)) return undefined;
  const retryAfter =
    error.retryAfterMs === undefined ? {} : { retryAfter: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) };
  if (error.code === 'GRANTKIT_CONFIGURATION') {
    return {
      title: 'Internal Server Error',
      status: 500,
      code: error.code,
      detail: 'The access token source for the upstream API is misconfigured.',
    };
  }
  if (error.retryable) {
    return {
      title: 'Service Unavailable',
      status: 503,
      code: error.code,
      detail: 'An access token for the upstream API could not be obtained for now.',
      ...retryAfter,
    };
  }
  return {
    title: 'Bad Gateway',
    status: 502,
    code: error.code,
    detail: 'The authorization server refused to issue an access token for the upstream API.',
  };
}

/**
 * {@link tokenProblem} as a `Response` (`application/problem+json`, `Retry-After` when known).
 *
 * @example
 * ```ts
 * catch (error) { const response = tokenProblemResponse(error); if (response) return response; throw error; }
 * ```
 */
export function tokenProblemResponse(error: unknown): Response | undefined {
  const problem = tokenProblem(error);
  if (!problem) return undefined;
  return problemResponse(problem, problem.retryAfter);
}

function problemResponse(problem: { readonly status: number }, retryAfter?: number): Response {
  const headers = new Headers({ 'content-type': 'application/problem+json' });
  if (retryAfter !== undefined) headers.set('retry-after', String(retryAfter));
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

const PROXY_PROBLEMS = {
  400: { title: 'Bad Request', status: 400, detail: 'The path does not map onto the proxied API.' },
  502: { title: 'Bad Gateway', status: 502, detail: 'The upstream API could not be reached.' },
  504: { title: 'Gateway Timeout', status: 504, detail: 'The upstream API did not answer in time.' },
} as const;

/**
 * The problem a proxy answers for a path it refuses (400), an upstream it cannot reach (502) or one that
 * timed out (504): a fixed text, never the upstream's address or the socket's error.
 */
export const proxyProblemResponse = (status: keyof typeof PROXY_PROBLEMS): Response =>
  problemResponse(PROXY_PROBLEMS[status]);
