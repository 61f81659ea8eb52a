import { EXIT_CODES } from './exit-codes.js';
import type { Failure } from './failure.js';

/** A command line that cannot work, as a {@link Failure} (exit code 2), for `--json`. */
export function usageFailure(message: string): Failure {
  return { exitCode: EXIT_CODES.usage, code: 'USAGE', message, hint: 'See grantkit --help.' };
}

/** The JSON object `--json` prints for a failed request or a command line that cannot work. */
export function failureJson(failure: Failure, tokenUrl: string | undefined, latencyMs: number | undefined) {
  const { exitCode, hint, ...error } = failure;
  return { ok: false, tokenUrl: tokenUrl ?? null, latencyMs: latencyMs ?? null, exitCode, error, hint };
}

/** The report for a person, on standard error. */
export function failureText(
  failure: Failure,
  tokenUrl: string | undefined,
  latencyMs: number | undefined,
): string {
  const rows: [string, string | number | undefined][] = [
    ['token URL', tokenUrl],
    ['outcome', latencyMs === undefined ? 'no request made' : `failed after ${latencyMs} ms`],
    ['code', failure.code],
    ['error', failure.error],
    ['description', failure.errorDescription],
    ['HTTP status', failure.endpointStatus],
    ['message', failure.message],
  ];
  const shown = rows.filter((row): row is [string, string | number] => row[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return [
    `grantkit: no token (exit code ${failure.exitCode})`,
    ...shown.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    `hint: ${failure.hint}`,
    '',
  ].join('\n');
}
