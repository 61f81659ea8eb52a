import type { RequestArguments } from './arguments.js';
import { promptHidden } from './prompt.js';
import { UsageError } from './usage-error.js';

/** The environment variable the secret is read from. */
export const SECRET_VARIABLE = 'GRANTKIT_CLIENT_SECRET';

async function readAll(input: NodeJS.ReadStream): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  for await (const chunk of input) text += chunk;
  return text;
}

/**
 * The client secret, from (in this order) standard input with `--client-secret-stdin`, the
 * `GRANTKIT_CLIENT_SECRET` environment variable, or a hidden prompt when standard input is a terminal.
 * Never from an argument: `parseArguments` refuses those.
 */
export async function readSecret(
  request: RequestArguments,
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WritableStream,
): Promise<string> {
  const ask = (): Promise<string> =>
    promptHidden(stdin, stderr, `Client secret for ${request.clientId} (input hidden): `);
  let secret: string;
  if (request.clientSecretStdin) {
    // One trailing newline is what `echo` and here-strings add; it is not part of the secret.
    secret = stdin.isTTY ? await ask() : (await readAll(stdin)).replace(/\r?\n$/, '');
    if (secret === '') throw new UsageError('--client-secret-stdin: standard input was empty');
  } else if (env[SECRET_VARIABLE] !== undefined) {
    secret = env[SECRET_VARIABLE];
    if (secret === '') throw new UsageError(`${SECRET_VARIABLE} is set but empty`);
  } else if (stdin.isTTY) {
    secret = await ask();
    if (secret === '') throw new UsageError('no client secret was typed');
  } else {
    throw new UsageError(
      `no client secret: set ${SECRET_VARIABLE}, pipe it in with --client-secret-stdin, or run on a terminal to be asked for it`,
    );
  }
  return secret;
}
