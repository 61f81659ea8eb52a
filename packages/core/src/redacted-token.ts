import type { AccessToken } from './types.js';

const nodeInspect = Symbol.for('nodejs.util.inspect.custom');
const denoInspect = Symbol.for('Deno.customInspect');

/**
 * An {@link AccessToken} as a source hands it out: a plain-looking object whose JSON and inspection show
 * everything but the token itself. The hiding lives on the prototype, so a token costs only its fields.
 */
class RedactedToken implements AccessToken {
  readonly accessToken: string;
  readonly tokenType = 'Bearer' as const;
  readonly expiresAt: number;
  declare readonly scope?: string;

  constructor({ accessToken, expiresAt, scope }: AccessToken) {
    this.accessToken = accessToken;
    this.expiresAt = expiresAt;
    if (scope !== undefined) (this as { scope?: string }).scope = scope;
  }

  toJSON(): object {
    const { accessToken: _, ...visible } = this;
    return { ...visible, accessToken: '[redacted]' };
  }

  [nodeInspect](): object {
    return this.toJSON();
  }

  [denoInspect](): object {
    return this.toJSON();
  }
}

/** The token as handed out, redacted in logs and JSON (`accessToken: '[redacted]'`). */
export const redacted = (token: AccessToken): AccessToken => new RedactedToken(token);
