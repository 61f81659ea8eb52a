// Runs inside the throwaway consumer project that test:tarballs creates outside the workspace: every
// @grantkit import below resolves to a package installed from its packed tarball, exactly as a user gets it.
// Its arguments name the packages that have code (placeholders are skipped).
import assert from 'node:assert/strict';

const available = new Set(process.argv.slice(2));
const { clientCredentials } = await import('@grantkit/core');
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
} finally {
  await Promise.all(servers.map((server) => server.close()));
}
