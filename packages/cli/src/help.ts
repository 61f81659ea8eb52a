import type { CommandName } from './arguments.js';
import { EXIT_CODE_MEANINGS } from './exit-codes.js';

const COMMON = `  --client-id ID               the client id (required)
  --scope S                    space-separated scopes to ask for
  --audience A                 the audience parameter
  --resource R                 the RFC 8707 resource parameter
  --client-auth basic|post     how the client authenticates: Authorization: Basic (default) or form body
  --client-secret-stdin        read the secret from standard input (one trailing newline is dropped)
  --allow-insecure-requests    permit an http: token URL (a server on this machine)
  --timeout-ms N               give up after N ms (default 10000)
  --json                       print one JSON object instead of the report
  --print-token                print only the token on standard output, for scripts and curl
  -h, --help                   this help
  --version                    the version of grantkit`;

const SECRET = `The client secret comes from GRANTKIT_CLIENT_SECRET, from standard input with --client-secret-stdin,
or from a hidden prompt when standard input is a terminal; never from an argument (arguments end up in
shell history and in ps), so --client-secret is refused. The secret and (without --print-token) the
token never appear in any output.`;

const EXIT = `Exit codes:\n${Object.entries(EXIT_CODE_MEANINGS)
  .map(([code, meaning]) => `  ${code.padEnd(4)} ${meaning}`)
  .join('\n')}`;

const TOKEN = `grantkit token --token-url URL --client-id ID [flags]

Requests a token from any OAuth 2.0 token endpoint with the client credentials grant.

  --token-url URL              the token endpoint (required)
${COMMON}

Examples:
  GRANTKIT_CLIENT_SECRET=... grantkit token --client-id svc \\
    --token-url https://id.example.com/realms/acme/protocol/openid-connect/token
  pass show acme/svc | grantkit token --client-secret-stdin --client-id svc --token-url URL --json`;

const VERINT = `grantkit verint --domain D --client-id ID [flags]

Requests a token for the Verint Coaching APIs from the documented token URL
https://auth.{domain}/auth/realms/{domain}/protocol/openid-connect/token.

  --domain D                   the tenant name, as issued with the credentials (required)
  --auth-origin URL            the authorization server's origin (default https://auth.{domain})
  --path-prefix /auth|''       the path before /realms: /auth (default, as documented) or '' (Keycloak 17+)
${COMMON}

Examples:
  grantkit verint --domain acme --client-id svc          # asks for the secret, prints what the token grants
  curl -H "Authorization: Bearer $(grantkit verint --domain acme --client-id svc --print-token)" \\
    https://api.example.com/coaching/v1/sessions`;

const OVERVIEW = `grantkit: check OAuth 2.0 client credentials and get a token from the terminal

Usage:
  grantkit token  --token-url URL --client-id ID [flags]   any OAuth 2.0 / Keycloak token endpoint
  grantkit verint --domain D --client-id ID [flags]        the Verint Coaching token URL
  grantkit <command> --help                                the flags of a command

By default it prints the token URL, the outcome and latency, the token type, lifetime and expiry, the
granted scope and the JWT's header and claims, decoded (not verified); never the token itself.
It makes one token request, without retries: what you see is what the server said.

Examples:
  grantkit verint --domain acme --client-id svc
  GRANTKIT_CLIENT_SECRET=... grantkit token --token-url URL --client-id svc --scope coaching.read --json
  curl -H "Authorization: Bearer $(grantkit verint --domain acme --client-id svc --print-token)" URL`;

/** The `--help` text of `command`, or the overview. */
export function helpText(command?: CommandName): string {
  const body = command === 'token' ? TOKEN : command === 'verint' ? VERINT : OVERVIEW;
  return `${body}\n\n${SECRET}\n\n${EXIT}\n`;
}
