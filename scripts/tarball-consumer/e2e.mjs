// Runs inside the throwaway consumer project that test:tarballs creates outside the workspace: every
// @grantkit import below resolves to a package installed from its packed tarball, exactly as a user gets it.
// Its arguments name the packages that have code (placeholders are skipped).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs a command asynchronously (the fake server answers in this process), resolving its exit code and output. */
function exec(command, args, { env = {}, stdin = '' } = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const available = new Set(process.argv.slice(2));
const { clientCredentials, MemoryTokenStore } = await import('@grantkit/core');
const { createAuthServer, createResourceServer } = await import('@grantkit/testing');
const { listen } = await import('@grantkit/testing/node');

const auth = await createAuthServer({
  realms: { demo: { clients: { svc: { secret: 's3cret', lifetimeSeconds: 3600, scopes: ['read'] } } } },
});
const servers = [await listen(auth.app)];
try {
  const [authServer] = servers;
  const source = clientCredentials({
    tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
    clientId: 'svc',
    clientSecret: 's3cret',
    allowInsecureRequests: true,
  });

  const token = await source.getToken();
  assert.equal(token.tokenType, 'Bearer');
  assert.equal(typeof token.accessToken, 'string');
  assert.ok(token.expiresAt > Date.now(), 'expiresAt lies in the future');
  const again = await source.getToken();
  assert.equal(again.accessToken, token.accessToken, 'the second getToken is served from the cache');
  assert.equal(auth.tokenRequests, 1, 'one token request for two getToken calls');
  console.log(
    '  ✔ @grantkit/core clientCredentials().getToken() against @grantkit/testing: one request, cached',
  );

  if (available.has('@grantkit/fetch')) {
    const { authFetch } = await import('@grantkit/fetch');
    const api = createResourceServer({ auth, realm: 'demo' });
    const apiServer = await listen(api.app);
    servers.push(apiServer);
    const apiFetch = authFetch(source, { origins: [apiServer.url] });
    const response = await apiFetch(`${apiServer.url}/echo/coaching?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    assert.equal(response.status, 200, 'the resource server accepts the token');
    const echo = await response.json();
    assert.equal(echo.method, 'POST');
    assert.equal(echo.clientId, 'svc');
    assert.equal(echo.body, '{"hello":"world"}');
    console.log(
      '  ✔ @grantkit/fetch authFetch() against the @grantkit/testing resource server: 200, token accepted',
    );
  } else {
    console.log('  ↷ @grantkit/fetch is a placeholder: authFetch end-to-end skipped');
  }

  if (available.has('@grantkit/cli')) {
    const { version } = JSON.parse(readFileSync('node_modules/@grantkit/cli/package.json', 'utf8'));
    const versionRun = await exec('npx', ['--no', '--', 'grantkit', '--version']);
    assert.equal(versionRun.code, 0, versionRun.stderr);
    assert.equal(versionRun.stdout.trim(), version);

    const tokenCall = [
      '--no',
      '--',
      'grantkit',
      'token',
      '--token-url',
      auth.tokenUrl(authServer.url, 'demo'),
    ];
    tokenCall.push('--client-id', 'svc', '--allow-insecure-requests');
    const reported = await exec('npx', [...tokenCall, '--json'], {
      env: { GRANTKIT_CLIENT_SECRET: 's3cret' },
    });
    assert.equal(reported.code, 0, reported.stderr);
    const report = JSON.parse(reported.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.jwt.claims.azp, 'svc');
    assert.ok(!reported.stdout.includes('s3cret') && !('accessToken' in report), 'no secret, no token');

    const printed = await exec('npx', [...tokenCall, '--print-token', '--client-secret-stdin'], {
      stdin: 's3cret\n',
    });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'only the token on stdout');
    console.log(
      `  ✔ @grantkit/cli: npx grantkit --version (${version}); token calls against @grantkit/testing (--json, --print-token)`,
    );
  } else {
    console.log('  ↷ @grantkit/cli is a placeholder: the grantkit bin is not run');
  }

  if (available.has('@grantkit/otel')) {
    // No SDK in this project: @opentelemetry/api (the peer npm installed) and a tracer that records names.
    const { telemetry } = await import('@grantkit/otel');
    const { INVALID_SPAN_CONTEXT, trace } = await import('@opentelemetry/api');
    const started = [];
    const tracerProvider = {
      getTracer: () => ({
        startSpan: (name, options) => {
          started.push({ name, attributes: options.attributes });
          return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
        },
      }),
    };
    const seen = [];
    const traced = clientCredentials({
      tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
      clientId: 'svc',
      clientSecret: 's3cret',
      allowInsecureRequests: true,
      // A store of its own: sources of one configuration share a token, and an earlier check holds it.
      store: new MemoryTokenStore(),
      onEvent: telemetry({ tracerProvider, onEvent: (event) => seen.push(event.type) }),
    });
    await traced.getToken();
    assert.deepEqual(
      started.map((span) => span.name),
      ['grantkit.token_request'],
    );
    assert.equal(started[0].attributes['oauth2.grant_type'], 'client_credentials');
    assert.ok(seen.includes('token-response'), "the caller's own listener is kept");
    console.log(
      '  ✔ @grantkit/otel telemetry() on @opentelemetry/api alone: one grantkit.token_request span',
    );
  } else {
    console.log('  ↷ @grantkit/otel is a placeholder: telemetry end-to-end skipped');
  }

  if (available.has('@grantkit/cloudflare')) {
    // The packed Durable Object class and store, driven in Node through a namespace whose objects keep
    // their storage in a Map (the workerd fleet test in packages/cloudflare runs them in workerd itself).
    const { durableObjectStore, TokenStoreObject } = await import('@grantkit/cloudflare');
    const objects = new Map();
    const storage = () => {
      const data = new Map();
      return {
        get: async (key) => data.get(key),
        put: async (key, value) => void data.set(key, value),
        delete: async (key) => data.delete(key),
        setAlarm: async () => {},
        data,
      };
    };
    const namespace = {
      idFromName: (name) => name,
      get: (id) => {
        if (!objects.has(id)) {
          const state = { storage: storage(), blockConcurrencyWhile: (callback) => callback() };
          objects.set(id, { state, object: new TokenStoreObject(state, {}) });
        }
        const { object } = objects.get(id);
        return { fetch: (url, init) => object.fetch(new Request(url, init)) };
      },
    };
    const encryptionKey = crypto.getRandomValues(new Uint8Array(32));
    const before = auth.tokenRequests;
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        clientCredentials({
          tokenUrl: auth.tokenUrl(authServer.url, 'demo'),
          clientId: 'svc',
          clientSecret: 's3cret',
          scope: 'read',
          allowInsecureRequests: true,
          store: durableObjectStore(namespace, { encryptionKey }),
        }).getToken(),
      ),
    );
    assert.equal(a.accessToken, b.accessToken, 'two sources share one token through the object');
    assert.equal(auth.tokenRequests - before, 1, 'one token request for both');
    const [{ state }] = objects.values();
    assert.ok(!JSON.stringify([...state.storage.data]).includes(a.accessToken), 'no token in clear');
    console.log(
      '  ✔ @grantkit/cloudflare durableObjectStore + TokenStoreObject: one request for two sources',
    );
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
}
