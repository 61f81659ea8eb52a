import {
  type ClientCredentialsOptions,
  clientCredentials,
  type TokenSource,
  verintCoaching,
  verintTokenUrl,
} from '@grantkit/core';
import { version } from '../package.json';
import { asksForJson, parseArguments, type RequestArguments } from './arguments.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { failureJson, failureText, usageFailure } from './failure-report.js';
import { helpText } from './help.js';
import { issuedJson, issuedText } from './issued.js';
import { Output } from './output.js';
import { PromptCancelled } from './prompt.js';
import { readSecret } from './secret.js';
import { UsageError } from './usage-error.js';

const DEFAULT_TIMEOUT_MS = 10_000;

function tokenUrlOf(request: RequestArguments): string {
  return request.command === 'token' ? request.tokenUrl : verintTokenUrl(request);
}

function sourceFor(
  request: RequestArguments,
  options: Omit<ClientCredentialsOptions, 'tokenUrl'>,
): TokenSource {
  if (request.command === 'token') return clientCredentials({ ...options, tokenUrl: request.tokenUrl });
  const { domain, authOrigin, pathPrefix } = request;
  return verintCoaching({ ...options, domain, authOrigin, pathPrefix });
}

async function requestToken(request: RequestArguments, output: Output): Promise<ExitCode> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let tokenUrl: string | undefined;
  let latencyMs: number | undefined;
  const fail = (error: unknown): ExitCode => {
    const failure = describeFailure(error, request, tokenUrl, timeoutMs);
    if (request.json) output.out(`${JSON.stringify(failureJson(failure, tokenUrl, latencyMs), null, 2)}\n`);
    else output.err(failureText(failure, tokenUrl, latencyMs));
    return failure.exitCode;
  };

  let source: TokenSource;
  let receivedAt: number | undefined;
  let clientSecret: string | undefined;
  try {
    tokenUrl = tokenUrlOf(request);
    // Built before the secret is read, so options that cannot work are reported before anyone types it.
    source = sourceFor(request, {
      clientId: request.clientId,
      clientSecret: () => clientSecret ?? '',
      scope: request.scope,
      audience: request.audience,
      resource: request.resource,
      clientAuth: request.clientAuth,
      allowInsecureRequests: request.allowInsecureRequests,
      timeoutMs,
      // One request: the report shows what the server said, not what a retry made of it.
      retry: { attempts: 1 },
      onEvent: (event) => {
        if (event.type === 'token-response') receivedAt = event.at;
      },
    });
    clientSecret = await readSecret(request, process.env, process.stdin, process.stderr);
    output.hide(clientSecret);
  } catch (error) {
    if (error instanceof UsageError) return usage(output, error.message, request.json, tokenUrl);
    if (error instanceof PromptCancelled) return EXIT_CODES.cancelled;
    return fail(error);
  }

  const started = performance.now();
  try {
    const token = await source.getToken();
    latencyMs = Math.round(performance.now() - started);
    const issued = { tokenUrl, latencyMs, token, receivedAt: receivedAt ?? Date.now() };
    if (request.json) output.out(`${JSON.stringify(issuedJson(issued, request.printToken), null, 2)}\n`);
    else if (request.printToken) output.token(token.accessToken);
    else output.out(issuedText(issued));
    return EXIT_CODES.ok;
  } catch (error) {
    latencyMs = Math.round(performance.now() - started);
    return fail(error);
  }
}

/** A command line that cannot work: a line on standard error, or with `--json` the failure object. */
function usage(output: Output, message: string, json: boolean, tokenUrl?: string): ExitCode {
  if (json)
    output.out(`${JSON.stringify(failureJson(usageFailure(message), tokenUrl, undefined), null, 2)}\n`);
  else output.err(`grantkit: ${message}\nSee grantkit --help.\n`);
  return EXIT_CODES.usage;
}

/**
 * Runs the `grantkit` command with `argv` (the arguments after the program name) on this process's
 * standard streams and environment, and resolves its exit code. This is what the `grantkit` bin does.
 *
 * @example
 * ```ts
 * import { run } from '@grantkit/cli';
 *
 * process.env.GRANTKIT_CLIENT_SECRET = await readSecretFromVault();
 * process.exitCode = await run(['verint', '--domain', 'acme', '--client-id', 'svc', '--json']);
 * ```
 */
export async function run(argv: readonly string[]): Promise<ExitCode> {
  const output = new Output(process.stdout, process.stderr);
  const json = asksForJson(argv);
  try {
    const invocation = parseArguments(argv);
    switch (invocation.kind) {
      case 'version':
        output.out(`${version}\n`);
        return EXIT_CODES.ok;
      case 'help':
        if (!invocation.requested) {
          if (json) return usage(output, 'no command: use `grantkit token` or `grantkit verint`', json);
          output.err(helpText(invocation.command));
          return EXIT_CODES.usage;
        }
        output.out(helpText(invocation.command));
        return EXIT_CODES.ok;
      case 'request':
        return await requestToken(invocation.request, output);
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(output, error.message, json);
    output.err(`grantkit: unexpected ${error instanceof Error ? error.name : 'failure'}; please report it\n`);
    return EXIT_CODES.internal;
  }
}
