import { isGrantkitError, type OAuthError } from '@grantkit/core';
import type { RequestArguments } from './arguments.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** A failed token request, as the CLI reports it. */
export interface Failure {
  readonly exitCode: ExitCode;
  /** The typed error's `code`, e.g. `GRANTKIT_OAUTH_ERROR`. */
  readonly code: string;
  readonly message: string;
  /** The RFC 6749 §5.2 `error`, when the token endpoint sent one. */
  readonly error?: string;
  readonly errorDescription?: string;
  readonly endpointStatus?: number;
  /** What to check next. */
  readonly hint: string;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|EPROTO$)/;

/** The first system error code (`ENOTFOUND`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`, …) down the cause chain. */
function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('GRANTKIT_') && !code.startsWith('OAUTH_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function hostOf(tokenUrl: string | undefined): string {
  try {
    return tokenUrl === undefined ? 'the host' : new URL(tokenUrl).host;
  } catch {
    return 'the host';
  }
}

function credentialsHint(request: RequestArguments): string {
  const environment =
    request.command === 'verint'
      ? `credentials are issued per environment (production or lab): use the pair issued for --domain ${request.domain}`
      : 'credentials are issued per environment (production or lab): use the pair issued for this server';
  const method =
    request.clientAuth === 'client_secret_basic'
      ? 'If the client is set up to send its secret in the form body, try --client-auth post.'
      : 'Most Keycloak clients (and Verint) expect Basic authentication: try without --client-auth post.';
  return `The server does not accept this client id and secret. Check both (copy them again, no trailing space or newline), and that they belong together: ${environment}. ${method}`;
}

function refusalHint(error: string, request: RequestArguments): string {
  switch (error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return credentialsHint(request);
    case 'invalid_scope':
      return `The client may not ask for scope "${request.scope ?? ''}": try without --scope to see what it is granted.`;
    case 'unsupported_grant_type':
    case 'invalid_grant':
      return 'The client is not enabled for the client credentials grant (in Keycloak: "Service accounts roles").';
    case 'invalid_request':
      return 'The server rejected the request itself: check --audience, --resource and --scope.';
    case 'temporarily_unavailable':
    case 'server_error':
      return 'The authorization server has a problem of its own: try again later.';
    default:
      return 'The token endpoint refused the request: see the error and its description above.';
  }
}

function networkHint(error: unknown, request: RequestArguments, tokenUrl: string | undefined): string {
  const host = hostOf(tokenUrl);
  const code = systemCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return request.command === 'verint' && request.authOrigin === undefined
      ? `${host} does not resolve: check that --domain is the tenant name exactly as Verint issued it (--domain acme means https://auth.acme), or give --auth-origin.`
      : `${host} does not resolve: check the host name in the token URL, and this machine's DNS.`;
  }
  if (code === 'ECONNREFUSED') return `Nothing accepts connections on ${host}: check the host and port.`;
  if (code !== undefined && TLS_CODES.test(code)) {
    return `TLS with ${host} failed (${code}): the certificate is not trusted or does not match. Behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return `${host} closed the connection: a firewall or proxy may be in the way.`;
  }
  return `No answer from ${host}${code ? ` (${code})` : ''}: check the URL, the network and any firewall.`;
}

function invalidResponseHint(status: number | undefined, request: RequestArguments): string {
  if (status === 404) {
    return request.command === 'verint' && request.pathPrefix !== ''
      ? "There is no token endpoint at this path. Keycloak 17 and later have no /auth prefix: try --path-prefix ''."
      : 'There is no token endpoint at this path: check the token URL (…/protocol/openid-connect/token for Keycloak).';
  }
  return 'Something answered, but not with a token: check that the URL is the token endpoint, and that no proxy or login page is in the way.';
}

/** Turns whatever the token request threw into the exit code, the typed error's fields and a hint. */
export function describeFailure(
  error: unknown,
  request: RequestArguments,
  tokenUrl: string | undefined,
  timeoutMs: number,
): Failure {
  if (!isGrantkitError(error)) {
    return {
      exitCode: EXIT_CODES.internal,
      code: 'INTERNAL',
      message: `unexpected ${error instanceof Error ? error.name : typeof error}`,
      hint: 'This is a bug in grantkit: please report it with the command you ran (without the secret).',
    };
  }
  const base = { code: error.code, message: error.message };
  const status = error.endpointStatus === undefined ? {} : { endpointStatus: error.endpointStatus };
  switch (error.code) {
    case 'GRANTKIT_OAUTH_ERROR': {
      // Read by field, not instanceof: the error may come from another copy of @grantkit/core.
      const { error: rfc = 'unknown', errorDescription: description } = error as Partial<OAuthError>;
      return {
        ...base,
        ...status,
        exitCode: EXIT_CODES.refused,
        error: rfc,
        ...(description === undefined ? {} : { errorDescription: description }),
        hint: refusalHint(rfc, request),
      };
    }
    case 'GRANTKIT_NETWORK_ERROR':
      return { ...base, exitCode: EXIT_CODES.network, hint: networkHint(error, request, tokenUrl) };
    case 'GRANTKIT_TIMEOUT':
      return {
        ...base,
        exitCode: EXIT_CODES.network,
        hint: `No answer from ${hostOf(tokenUrl)} within ${timeoutMs} ms: a firewall may drop the packets, or the server is overloaded. --timeout-ms waits longer.`,
      };
    case 'GRANTKIT_INVALID_RESPONSE':
      return {
        ...base,
        ...status,
        exitCode: EXIT_CODES.invalidResponse,
        hint: invalidResponseHint(error.endpointStatus, request),
      };
    case 'GRANTKIT_CONFIGURATION':
      return {
        ...base,
        exitCode: EXIT_CODES.usage,
        hint:
          isPlainHttp(tokenUrl) && !request.allowInsecureRequests
            ? 'Token URLs must use https:. For a server on this machine (tests, local development), add --allow-insecure-requests.'
            : 'Check the flags: grantkit --help.',
      };
    default:
      return {
        ...base,
        exitCode: EXIT_CODES.internal,
        hint: 'An error grantkit does not know yet: please report it.',
      };
  }
}

function isPlainHttp(tokenUrl: string | undefined): boolean {
  try {
    return tokenUrl !== undefined && new URL(tokenUrl).protocol === 'http:';
  } catch {
    return false;
  }
}
