/**
 * What the `grantkit` command's exit status means. The same table is in the README and in `--help`.
 *
 * - `ok` (0): a token was issued.
 * - `refused` (1): the token endpoint refused with an RFC 6749 error (`invalid_client`, `unauthorized_client`, …).
 * - `usage` (2): the command line or the configuration cannot work (an unknown flag, `--client-secret`, no
 *   secret, an `http:` URL without `--allow-insecure-requests`, a bad domain).
 * - `network` (3): no answer: the host does not resolve, the connection or TLS failed, or it timed out.
 * - `invalidResponse` (4): something answered, but not with a usable token (a wrong URL, an HTML page, a proxy).
 * - `internal` (70): a bug in grantkit; please report it.
 * - `cancelled` (130): the hidden prompt was cancelled with Ctrl-C.
 *
 * @example
 * ```ts
 * import { EXIT_CODES, run } from '@grantkit/cli';
 *
 * if ((await run(['verint', '--domain', 'acme', '--client-id', 'svc'])) === EXIT_CODES.refused) {
 *   console.error('check the client id and secret');
 * }
 * ```
 */
export const EXIT_CODES = {
  ok: 0,
  refused: 1,
  usage: 2,
  network: 3,
  invalidResponse: 4,
  internal: 70,
  cancelled: 130,
} as const;

/**
 * One of the {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * const code: ExitCode = EXIT_CODES.network;
 * ```
 */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** What each exit code means, for `--help` (the README carries the same table). */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'a token was issued',
  1: 'the token endpoint refused (invalid_client, unauthorized_client, invalid_scope, ...)',
  2: 'usage: a bad flag, --client-secret, no secret, an http: URL without --allow-insecure-requests',
  3: 'no answer: the host does not resolve, connection or TLS failure, timeout',
  4: 'an answer that is not a token (a wrong URL or path, an HTML page, a proxy)',
  70: 'a bug in grantkit',
  130: 'the prompt was cancelled (Ctrl-C)',
};
