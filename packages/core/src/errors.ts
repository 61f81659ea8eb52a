const brand = Symbol.for('grantkit.error');

/**
 * Stable error codes, usable without `instanceof` (errors may cross realms and package copies).
 *
 * - `GRANTKIT_OAUTH_ERROR`: the token endpoint answered with an RFC 6749 §5.2 error (`error` field).
 * - `GRANTKIT_INVALID_RESPONSE`: the answer was unusable (not JSON, no `access_token`, wrong `token_type`,
 *   a non-2xx status without an OAuth error body).
 * - `GRANTKIT_NETWORK_ERROR`: the request did not get an answer (connection refused, reset, DNS).
 * - `GRANTKIT_TIMEOUT`: no answer within `timeoutMs`.
 * - `GRANTKIT_CONFIGURATION`: the options cannot work (an `http:` token URL, a missing client id, …).
 */
export type GrantkitErrorCode =
  | 'GRANTKIT_OAUTH_ERROR'
  | 'GRANTKIT_INVALID_RESPONSE'
  | 'GRANTKIT_NETWORK_ERROR'
  | 'GRANTKIT_TIMEOUT'
  | 'GRANTKIT_CONFIGURATION';

/**
 * What a {@link GrantkitError} is built with, besides its code and message: for stores and integrations
 * that throw Grantkit's errors themselves.
 *
 * @example
 * ```ts
 * const options: GrantkitErrorOptions = { retryable: true, cause: error };
 * throw new GrantkitError('GRANTKIT_TIMEOUT', 'store get took longer than 250 ms', options);
 * ```
 */
export interface GrantkitErrorOptions {
  /** The underlying error. */
  readonly cause?: unknown;
  /** The token endpoint's HTTP status, when it answered (becomes `endpointStatus`). */
  readonly status?: number | undefined;
  /** Whether a later attempt may succeed. */
  readonly retryable?: boolean | undefined;
  /** How long the endpoint asked to wait (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

/**
 * The base of every error Grantkit throws. Its message never contains a secret or a token.
 *
 * @example
 * ```ts
 * try { await source.getToken(); } catch (e) { if (isGrantkitError(e)) console.error(e.code, e.endpointStatus); }
 * ```
 */
export class GrantkitError extends Error {
  readonly code: GrantkitErrorCode;
  /**
   * The HTTP status of the token endpoint's answer, when there was one. Deliberately not `status`:
   * frameworks (Express, Koa) answer their own caller with an error's `status`, and a token endpoint's 401
   * must not become the caller's 401.
   */
  readonly endpointStatus: number | undefined;
  /** Whether a later token request may succeed (network, timeout, 5xx, 429). */
  readonly retryable: boolean;
  /** The delay the server asked for with `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly [brand] = true;

  constructor(code: GrantkitErrorCode, message: string, options: GrantkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GrantkitError';
    this.code = code;
    this.endpointStatus = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** A plain object for logs and `JSON.stringify`: name, code, message and status, never a secret or a token. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, endpointStatus: this.endpointStatus };
  }
}

/** RFC 6749 §5.2 errors that no retry can fix, whatever the status code. */
const FATAL_OAUTH_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_grant',
  'invalid_scope',
]);

/**
 * The token endpoint refused with an RFC 6749 §5.2 error response.
 *
 * @example
 * ```ts
 * if (e instanceof OAuthError && e.error === 'invalid_client') alertOps('rotate the client secret');
 * ```
 */
export class OAuthError extends GrantkitError {
  /** The `error` field, e.g. `invalid_client`, `unauthorized_client`, `invalid_scope`. */
  readonly error: string;
  /** The `error_description` field, when sent. */
  readonly errorDescription: string | undefined;

  constructor(
    error: string,
    errorDescription: string | undefined,
    options: GrantkitErrorOptions & { status: number | undefined },
  ) {
    const status = options.status;
    super(
      'GRANTKIT_OAUTH_ERROR',
      `token endpoint refused: ${error}${errorDescription ? ` (${errorDescription})` : ''}${status ? ` [HTTP ${status}]` : ''}`,
      {
        ...options,
        retryable:
          !FATAL_OAUTH_ERRORS.has(error) &&
          (status === undefined || status >= 500 || status === 429 || error === 'temporarily_unavailable'),
      },
    );
    this.name = 'OAuthError';
    this.error = error;
    this.errorDescription = errorDescription;
  }

  /** {@link GrantkitError.toJSON} plus the OAuth `error` and `errorDescription`. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), error: this.error, errorDescription: this.errorDescription };
  }
}

/**
 * Tells a Grantkit error from any other value, across realms and duplicate package copies.
 *
 * @example
 * ```ts
 * catch (e) { if (isGrantkitError(e) && e.code === 'GRANTKIT_TIMEOUT') … }
 * ```
 */
export function isGrantkitError(value: unknown): value is GrantkitError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
