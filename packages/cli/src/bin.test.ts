import { type AuthServer, createAuthServer, createResourceServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { tokenCommand, verintCommand } from './test/command-lines.js';
import { grantkit, JWT, runs } from './test/grantkit-bin.js';
import { leakedForms, SECRET, WRONG_SECRET } from './test/secrets.js';
import { selfSignedServer } from './test/self-signed-server.js';

let auth: AuthServer;
let server: RunningServer;
let tokenUrl: string;
const env = { GRANTKIT_CLIENT_SECRET: SECRET };

beforeAll(async () => {
  auth = await createAuthServer({
    realms: {
      acme: {
        clients: {
          svc: { secret: SECRET, lifetimeSeconds: 3600, scopes: ['coaching.read', 'coaching.write'] },
        },
      },
    },
  });
  server = await listen(auth.app);
  tokenUrl = auth.tokenUrl(server.url, 'acme');
});
afterAll(() => server.close());

afterEach(() => {
  auth.reset();
  auth.unknownClientStyle = '401-unauthorized_client';
});

// The product promise, checked on every run of the suite: no output holds a secret, and only
// `--print-token` (on standard output) ever holds a token.
afterAll(() => {
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) {
    const output = run.stdout + run.stderr;
    for (const leaked of [...leakedForms(SECRET), ...leakedForms(WRONG_SECRET)]) {
      expect(output, `grantkit ${run.args.join(' ')}`).not.toContain(leaked);
    }
    expect(run.stderr).not.toMatch(JWT);
    expect(JWT.test(run.stdout)).toBe(run.args.includes('--print-token') && run.code === 0);
  }
});

const token = (...more: string[]): string[] => tokenCommand(tokenUrl, ...more);

describe('a token is issued', () => {
  it('reports the token URL, outcome, lifetime, scope, JWT header and claims for a person', async () => {
    const before = Date.now();
    const run = await grantkit(token(), { env });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`token URL   ${tokenUrl}`);
    expect(run.stdout).toMatch(/outcome +ok, in \d+ ms/);
    expect(run.stdout).toMatch(/token type +Bearer/);
    expect(run.stdout).toMatch(/lifetime +3600 s \(1 h\), expires \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(run.stdout).toMatch(/scope +coaching\.read coaching\.write/);
    expect(run.stdout).toMatch(/alg +RS256/);
    expect(run.stdout).toMatch(/kid +\S+/);
    expect(run.stdout).toMatch(new RegExp(`iss +${auth.issuer(server.url, 'acme')}\\n`));
    expect(run.stdout).toMatch(/azp +svc/);
    expect(run.stdout).toMatch(/sub +service-account-svc/);
    expect(run.stdout).toMatch(/aud +account/);
    expect(run.stdout).toMatch(/exp +\d+ \(\d{4}-/);
    const expires = Date.parse(/expires (\S+)/.exec(run.stdout)?.[1] ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(auth.requestLog).toMatchObject([{ clientId: 'svc', auth: 'basic', status: 200 }]);
  });

  it('prints one JSON object with --json, without the token', async () => {
    const run = await grantkit(token('--json', '--scope', 'coaching.read'), { env });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: true,
      tokenUrl,
      tokenType: 'Bearer',
      expiresIn: 3600,
      scope: 'coaching.read',
      jwt: {
        header: { alg: 'RS256', typ: 'JWT' },
        claims: { azp: 'svc', sub: 'service-account-svc', scope: 'coaching.read', aud: 'account' },
      },
      notes: [],
    });
    expect(report.latencyMs).toBeTypeOf('number');
    expect(Date.parse(report.expiresAt)).toBeGreaterThan(Date.now());
    expect(report).not.toHaveProperty('accessToken');
    expect(auth.requestLog).toMatchObject([{ scope: 'coaching.read', status: 200 }]);
  });

  it('prints only the token with --print-token, and the token works as a Bearer token', async () => {
    const api = createResourceServer({ auth, realm: 'acme' });
    const apiServer = await listen(api.app);
    try {
      const run = await grantkit(token('--print-token'), { env });

      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const response = await fetch(`${apiServer.url}/echo/coaching`, {
        headers: { authorization: `Bearer ${run.stdout.trim()}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ clientId: 'svc' });
    } finally {
      await apiServer.close();
    }
  });

  it('puts the token in the JSON object with --json --print-token', async () => {
    const run = await grantkit(token('--json', '--print-token'), { env });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).accessToken).toMatch(JWT);
  });

  it('sends the secret in the form body with --client-auth post', async () => {
    const run = await grantkit(token('--client-auth', 'post', '--json'), { env });

    expect(run.code).toBe(0);
    expect(auth.requestLog).toMatchObject([{ auth: 'post', status: 200 }]);
  });

  it('sends --audience and --resource, which the token then names in aud', async () => {
    const run = await grantkit(
      token('--audience', 'coaching', '--resource', 'https://api.acme.example', '--json'),
      {
        env,
      },
    );

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).jwt.claims.aud).toEqual(['coaching', 'https://api.acme.example']);
  });

  it('verint builds the documented token URL from the domain (under --auth-origin)', async () => {
    const run = await grantkit(verintCommand(server.url), { env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${server.url}/auth/realms/acme/protocol/openid-connect/token`);
    expect(auth.requestLog).toMatchObject([
      { path: '/auth/realms/acme/protocol/openid-connect/token', auth: 'basic', status: 200 },
    ]);
  });

  it("verint --path-prefix '' drops /auth (Keycloak 17+)", async () => {
    const run = await grantkit(verintCommand(server.url, '--path-prefix', '', '--json'), { env });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tokenUrl).toBe(tokenUrl);
    expect(auth.requestLog).toMatchObject([{ path: '/realms/acme/protocol/openid-connect/token' }]);
  });
});

describe('the secret', () => {
  it('is read from standard input with --client-secret-stdin (one trailing newline dropped)', async () => {
    const run = await grantkit(token('--client-secret-stdin', '--json'), { stdin: `${SECRET}\n` });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).ok).toBe(true);
  });

  it('from standard input wins over the environment variable', async () => {
    const run = await grantkit(token('--client-secret-stdin'), {
      stdin: SECRET,
      env: { GRANTKIT_CLIENT_SECRET: WRONG_SECRET },
    });

    expect(run.code).toBe(0);
  });

  it.each([['--client-secret', SECRET], [`--client-secret=${SECRET}`], ['--clientSecret', SECRET]])(
    'is refused as an argument (%s), with the reason and without echoing it',
    async (...flag) => {
      const run = await grantkit(token(...flag), { env });

      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('is refused');
      expect(run.stderr).toContain('shell history');
      expect(run.stderr).toContain('`ps`');
      expect(run.stderr).toContain('GRANTKIT_CLIENT_SECRET');
      expect(auth.tokenRequests).toBe(0);
    },
  );

  it('is required: no variable, no --client-secret-stdin and no terminal is a usage error', async () => {
    const run = await grantkit(token());

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no client secret');
    expect(auth.tokenRequests).toBe(0);
  });

  it('from an empty standard input is a usage error', async () => {
    const run = await grantkit(token('--client-secret-stdin'), { stdin: '\n' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('standard input was empty');
  });
});

describe('a refused client', () => {
  it('unauthorized_client (401, real Keycloak): exit 1 with the code, the RFC 6749 error and a hint', async () => {
    const run = await grantkit(token(), { env: { GRANTKIT_CLIENT_SECRET: WRONG_SECRET } });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/code +GRANTKIT_OAUTH_ERROR/);
    expect(run.stderr).toMatch(/error +unauthorized_client/);
    expect(run.stderr).toMatch(/HTTP status +401/);
    expect(run.stderr).toContain('hint: The server does not accept this client id and secret');
    expect(run.stderr).toContain('production or lab');
  });

  it('invalid_client (400, older Keycloak) in JSON', async () => {
    auth.unknownClientStyle = '400-invalid_client';
    // In the form body: with Basic, core's one raw-encoding retry (Keycloak < 20) would answer instead.
    const command = token('--json', '--client-auth', 'post').map((arg) => (arg === 'svc' ? 'unknown' : arg));
    const run = await grantkit(command, { env });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      tokenUrl,
      exitCode: 1,
      error: { code: 'GRANTKIT_OAUTH_ERROR', error: 'invalid_client', endpointStatus: 400 },
      hint: expect.stringContaining('production or lab'),
    });
  });

  it('invalid_scope: the hint names the scope', async () => {
    const run = await grantkit(token('--scope', 'coaching.admin'), { env });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error +invalid_scope/);
    expect(run.stderr).toContain('scope "coaching.admin"');
  });

  it('an answer that is not a token (a wrong path) exits 4', async () => {
    const run = await grantkit(tokenCommand(`${server.url}/nothing/here`), { env });

    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/code +GRANTKIT_INVALID_RESPONSE/);
    expect(run.stderr).toMatch(/HTTP status +404/);
    expect(run.stderr).toContain('no token endpoint at this path');
  });
});

describe('no answer', () => {
  it('an unreachable host (connection refused) exits 3', async () => {
    const closed = await listen(auth.app);
    await closed.close();
    const run = await grantkit(tokenCommand(auth.tokenUrl(closed.url, 'acme')), { env });

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/code +GRANTKIT_NETWORK_ERROR/);
    expect(run.stderr).toContain(`Nothing accepts connections on 127.0.0.1:${closed.port}`);
  });

  it('an untrusted TLS certificate exits 3 with a TLS hint', async () => {
    const tls = await selfSignedServer();
    try {
      const run = await grantkit(['token', '--token-url', `${tls.url}/token`, '--client-id', 'svc'], { env });

      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/hint: TLS with 127\.0\.0\.1:\d+ failed \([A-Z_]+\)/);
      expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS');
    } finally {
      await tls.close();
    }
  });

  it('a token endpoint that never answers times out (--timeout-ms) and exits 3', async () => {
    auth.faults.hang(1);
    const run = await grantkit(token('--timeout-ms', '300', '--json'), { env });

    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { code: 'GRANTKIT_TIMEOUT' },
      hint: expect.stringContaining('within 300 ms'),
    });
  });
});

describe('usage', () => {
  it('refuses an http: token URL without --allow-insecure-requests, before any request', async () => {
    const run = await grantkit(['token', '--token-url', tokenUrl, '--client-id', 'svc'], { env });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/code +GRANTKIT_CONFIGURATION/);
    expect(run.stderr).toContain('add --allow-insecure-requests');
    expect(auth.tokenRequests).toBe(0);
  });

  it.concurrent.for<[string[], string]>([
    [['token', '--client-id', 'svc'], 'needs --token-url'],
    [['verint', '--client-id', 'svc'], 'needs --domain'],
    [['token', '--token-url', 'https://x.example/token'], 'needs --client-id'],
    [['token', '--bogus'], 'unknown option --bogus'],
    [['token', '--domain', 'acme'], '--domain does not apply to `grantkit token`'],
    [['fetch'], 'unknown command'],
    [
      ['token', '--token-url', 'https://x.example/token', '--client-id', 'svc', '--client-auth', 'jwt'],
      '--client-auth is basic',
    ],
    [['verint', '--domain', 'acme', '--client-id', 'svc', '--path-prefix', '/x'], '--path-prefix is'],
    [['verint', '--domain', 'acme', '--client-id', 'svc', 'stray-value'], 'no other arguments'],
  ])('%j exits 2: %s', async ([args, message], { expect }) => {
    const run = await grantkit(args, { env });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('stray-value');
  });

  it.concurrent.for<[string[], string]>([
    [['token', '--client-id', 'svc', '--json'], 'needs --token-url'],
    [['token', '--json', '--bogus'], 'unknown option --bogus'],
    [['verint', '--domain', 'acme', '--client-id', 'svc', '--json=yes'], '--json takes no value'],
    [['token', '--json', '--client-secret', SECRET], '--client-secret is refused'],
    [['--json'], 'no command'],
  ])(
    '%j with --json prints the failure object on standard output and exits 2',
    async ([args, message], { expect }) => {
      const run = await grantkit(args, { env });

      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({
        ok: false,
        tokenUrl: null,
        latencyMs: null,
        exitCode: 2,
        error: { code: 'USAGE', message: expect.stringContaining(message) },
        hint: 'See grantkit --help.',
      });
    },
  );

  it('no client secret with --json: the failure object names the token URL', async () => {
    const run = await grantkit(token('--json'));

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      tokenUrl,
      exitCode: 2,
      error: { code: 'USAGE', message: expect.stringContaining('no client secret') },
    });
    expect(auth.tokenRequests).toBe(0);
  });

  it.concurrent('--version prints the package version', async ({ expect }) => {
    const run = await grantkit(['--version']);

    expect(run).toMatchObject({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it.concurrent('--help shows the commands, examples (the curl one) and the exit codes', async ({
    expect,
  }) => {
    const run = await grantkit(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('grantkit token');
    expect(run.stdout).toContain('grantkit verint');
    expect(run.stdout).toContain('curl -H "Authorization: Bearer $(grantkit verint');
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 +a token was issued\n {2}1 +the token endpoint refused/);
    expect(run.stdout).toMatch(/ {2}3 +no answer/);
  });

  it.concurrent('verint --help lists its flags', async ({ expect }) => {
    const run = await grantkit(['verint', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--auth-origin URL');
    expect(run.stdout).toContain("--path-prefix /auth|''");
    expect(run.stdout).toContain('--client-secret-stdin');
  });

  it.concurrent('no command prints the help on standard error and exits 2', async ({ expect }) => {
    const run = await grantkit([]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage:');
  });
});
