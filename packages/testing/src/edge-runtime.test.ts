// @vitest-environment edge-runtime
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthServer, createManualClock, createResourceServer } from './index.js';

describe('main entry on edge-runtime (no Node APIs)', () => {
  it('issues a token and the resource server accepts it', async () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('string');
    const clock = createManualClock();
    const auth = await createAuthServer({
      clock,
      realms: { demo: { clients: { svc: { secret: 'p+ss:w%rd x' } } } },
    });
    const response = await auth.fetch(auth.tokenUrl('http://localhost', 'demo', { legacyAuthPrefix: true }), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${btoa('svc:p%2Bss%3Aw%25rd+x')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    const { access_token } = await response.json();
    expect(decodeJwt(access_token).iss).toBe('http://localhost/auth/realms/demo');
    const api = createResourceServer({ auth, realm: 'demo' });
    const echo = await api.fetch('/echo', { headers: { Authorization: `Bearer ${access_token}` } });
    expect((await echo.json()).clientId).toBe('svc');
  });
});
