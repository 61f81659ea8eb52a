/** Shorter secrets are not scrubbed: replacing every `ab` would garble the report (and they are guessable anyway). */
const MIN_SCRUBBED = 4;

/**
 * Standard output and error with the client secret scrubbed from everything written, whatever the token
 * endpoint echoes back in an error description or a claim. The token goes out unscrubbed, only through
 * {@link Output.token}.
 */
export class Output {
  #secret: string | undefined;

  constructor(
    private readonly stdout: NodeJS.WritableStream,
    private readonly stderr: NodeJS.WritableStream,
  ) {}

  /** From now on, `secret` is replaced by `[redacted]` in everything written. */
  hide(secret: string): void {
    if (secret.length >= MIN_SCRUBBED) this.#secret = secret;
  }

  #scrub(text: string): string {
    return this.#secret === undefined ? text : text.replaceAll(this.#secret, '[redacted]');
  }

  out(text: string): void {
    this.stdout.write(this.#scrub(text));
  }

  err(text: string): void {
    this.stderr.write(this.#scrub(text));
  }

  /** `--print-token`: the token alone on standard output. */
  token(accessToken: string): void {
    this.stdout.write(`${accessToken}\n`);
  }
}
