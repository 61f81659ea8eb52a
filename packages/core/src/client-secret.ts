import { GrantkitError } from './errors.js';

/**
 * A client secret: the string itself, or a function (sync or async) that returns the current one — from a
 * secret manager, say — read for every token request and once more after the server refuses the client.
 *
 * @example
 * ```ts
 * const clientSecret: ClientSecret = () => secrets.get('verint/client-secret');
 * ```
 */
export type ClientSecret = string | (() => string | Promise<string>);

/** One read of the secret; a failed read or an empty value is a configuration error (that may pass). */
export async function readSecret(secret: ClientSecret): Promise<string> {
  if (typeof secret === 'string') return secret;
  let value: unknown;
  try {
    value = await secret();
  } catch (error) {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'the clientSecret function failed', {
      cause: error,
      retryable: true,
    });
  }
  if (typeof value !== 'string' || value === '') {
    throw new GrantkitError(
      'GRANTKIT_CONFIGURATION',
      'the clientSecret function must return a non-empty string',
      { retryable: true },
    );
  }
  return value;
}
