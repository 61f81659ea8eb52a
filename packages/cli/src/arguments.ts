import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** The subcommands: `token` takes a token URL, `verint` builds the Verint Coaching one from a domain. */
export type CommandName = 'token' | 'verint';

/** Where the token comes from: a token URL, or the Verint Coaching URL built from a tenant domain. */
export type TokenTarget =
  | { readonly command: 'token'; readonly tokenUrl: string }
  | {
      readonly command: 'verint';
      readonly domain: string;
      readonly authOrigin: string | undefined;
      readonly pathPrefix: '/auth' | '' | undefined;
    };

/** What one token request needs from the command line (the secret never comes from here). */
export type RequestArguments = TokenTarget & {
  readonly clientId: string;
  readonly scope: string | undefined;
  readonly audience: string | undefined;
  readonly resource: string | undefined;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
  readonly allowInsecureRequests: boolean;
  readonly timeoutMs: number | undefined;
  readonly json: boolean;
  readonly printToken: boolean;
  readonly clientSecretStdin: boolean;
};

/** The parsed command line. */
export type Invocation =
  | { readonly kind: 'help'; readonly requested: boolean; readonly command?: CommandName }
  | { readonly kind: 'version' }
  | { readonly kind: 'request'; readonly request: RequestArguments };

const common = {
  'client-id': { type: 'string' },
  scope: { type: 'string' },
  audience: { type: 'string' },
  resource: { type: 'string' },
  'client-auth': { type: 'string' },
  'client-secret-stdin': { type: 'boolean' },
  'allow-insecure-requests': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  'print-token': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const specific = {
  token: { 'token-url': { type: 'string' } },
  verint: {
    domain: { type: 'string' },
    'auth-origin': { type: 'string' },
    'path-prefix': { type: 'string' },
  },
} as const;

const options = { ...common, ...specific.token, ...specific.verint };
type OptionName = keyof typeof options;

const refusedSecret = (flag: string): string =>
  `${flag} is refused: a secret given as an argument ends up in shell history and in \`ps\` for every ` +
  'user of the machine. Set GRANTKIT_CLIENT_SECRET, pipe it in with --client-secret-stdin, or leave both ' +
  'out to be asked for it (hidden) on a terminal.';

/** The flag of a secret argument (`--client-secret`, `--client-secret=…`, `--clientSecret`, `--secret`), without its value. */
function secretFlag(argument: string): string | undefined {
  if (!argument.startsWith('-')) return undefined;
  const flag = argument.split('=')[0] ?? '';
  const name = flag.replace(/^-+/, '').toLowerCase().replace(/[-_]/g, '');
  return name === 'clientsecret' || name === 'secret' ? flag : undefined;
}

function isCommand(value: string): value is CommandName {
  return value === 'token' || value === 'verint';
}

function allowedFor(command: CommandName | undefined, name: string): name is OptionName {
  if (Object.hasOwn(common, name)) return true;
  return Object.hasOwn(command === undefined ? options : specific[command], name);
}

/**
 * Whether the command line asks for `--json` (before any `--`), read without parsing the rest: a line
 * that cannot be parsed still gets its error in the shape it asked for.
 */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--json' || arg.startsWith('--json='));
}

/**
 * Reads the command line. Messages name flags, never echo a value: a mistyped line may hold a secret.
 * Throws {@link UsageError}.
 */
export function parseArguments(argv: readonly string[]): Invocation {
  const refused = argv.map(secretFlag).find((flag) => flag !== undefined);
  if (refused !== undefined) throw new UsageError(refusedSecret(refused));
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const positionals = tokens.filter((token) => token.kind === 'positional');
  const first = positionals[0]?.value;
  if (first !== undefined && !isCommand(first)) {
    throw new UsageError('unknown command: use `grantkit token` or `grantkit verint`');
  }
  const command = first;

  const values = new Map<OptionName, string | true>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const { name, rawName } = token;
    if (!allowedFor(command, name)) {
      throw new UsageError(
        Object.hasOwn(options, name)
          ? `${rawName} does not apply to \`grantkit ${command}\``
          : `unknown option ${rawName}`,
      );
    }
    if (values.has(name)) throw new UsageError(`${rawName} is given twice`);
    const definition = options[name];
    if (definition.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${rawName} takes no value`);
      values.set(name, true);
    } else {
      // Without an inline value parseArgs takes the next argument, even another flag.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
        throw new UsageError(`${rawName} needs a value`);
      }
      values.set(name, token.value);
    }
  }

  if (positionals.length > 1)
    throw new UsageError('grantkit takes one command and flags, no other arguments');
  if (values.has('version')) return { kind: 'version' };
  if (values.has('help') || command === undefined) {
    const requested = values.has('help');
    return command === undefined ? { kind: 'help', requested } : { kind: 'help', requested, command };
  }
  return { kind: 'request', request: requestArguments(command, values) };
}

function requestArguments(command: CommandName, values: Map<OptionName, string | true>): RequestArguments {
  const text = (name: OptionName): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const required = (name: OptionName): string => {
    const value = text(name);
    if (value === undefined || value === '') throw new UsageError(`\`grantkit ${command}\` needs --${name}`);
    return value;
  };
  const flag = (name: OptionName): boolean => values.get(name) === true;

  const target: TokenTarget =
    command === 'token'
      ? { command, tokenUrl: required('token-url') }
      : {
          command,
          domain: required('domain'),
          authOrigin: text('auth-origin'),
          pathPrefix: pathPrefix(text('path-prefix')),
        };
  return {
    ...target,
    clientId: required('client-id'),
    scope: text('scope'),
    audience: text('audience'),
    resource: text('resource'),
    clientAuth: clientAuth(text('client-auth')),
    allowInsecureRequests: flag('allow-insecure-requests'),
    timeoutMs: milliseconds(text('timeout-ms')),
    json: flag('json'),
    printToken: flag('print-token'),
    clientSecretStdin: flag('client-secret-stdin'),
  };
}

function pathPrefix(value: string | undefined): '/auth' | '' | undefined {
  if (value === undefined || value === '/auth' || value === '') return value;
  throw new UsageError("--path-prefix is '/auth' (as documented) or '' (Keycloak 17+)");
}

function milliseconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError('--timeout-ms is a whole number of milliseconds');
  return Number(value);
}

function clientAuth(value: string | undefined): RequestArguments['clientAuth'] {
  if (value === undefined || value === 'basic') return 'client_secret_basic';
  if (value === 'post') return 'client_secret_post';
  throw new UsageError(
    '--client-auth is basic (Authorization: Basic, the default) or post (in the form body)',
  );
}
