import type { Failure } from './failure.js';

/** The JSON object `--json` prints for a failed request. */
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
