import { describe, expect, it } from 'vitest';
import { closedPort, runDemo } from './test/demo-process.js';

describe('pnpm demo (embedded server)', () => {
  it('drives every adapter through revocation and expiry, prints the report and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo(['--spans']);
    expect(stderr).not.toContain('Demo failed');
    expect(stdout).toContain('RESULT: OK');
    for (const adapter of ['fetch', 'ky', 'hono', 'express', 'hono proxy', 'express proxy', 'worker']) {
      expect(stdout).toMatch(new RegExp(`^  ${adapter} +@grantkit/`, 'm'));
    }
    // The worker's calls went to two isolates, which shared their one cold-start token through the Durable Object.
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'spread across both isolates, made one token request for both isolates: the two isolates shared one token through the Durable Object.',
    );
    expect(stdout).toMatch(/^ {2}worker \(demo-worker-a\)$/m);
    expect(stdout).toMatch(/^ {2}worker \(demo-worker-b\)$/m);
    expect(stdout).toContain('Token cache state transitions');
    expect(stdout).toMatch(/refreshing \d+\.\d\ds → valid/);
    // --spans: each Node-side adapter's token requests, foreground and refresh-ahead, as OpenTelemetry spans.
    for (const client of ['demo-fetch', 'demo-ky', 'demo-hono', 'demo-express']) {
      expect(stdout).toMatch(new RegExp(`span grantkit.token_request ${client} attempt 1 foreground .* OK`));
    }
    expect(stdout).toMatch(/span grantkit.token_request demo-\S+ attempt 1 background .* OK/);
    expect(stdout).not.toContain('demo-s3cret');
    expect(code).toBe(0);
  });
});

describe('pnpm demo (real tenant configuration)', () => {
  it('explains a token URL that cannot be reached, and exits non-zero', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runDemo([], {
      VERINT_DOMAIN: 'acme',
      VERINT_CLIENT_ID: 'svc',
      VERINT_CLIENT_SECRET: 'never-printed-secret',
      VERINT_TOKEN_URL: `http://127.0.0.1:${port}/auth/realms/acme/protocol/openid-connect/token`,
    });
    expect(stdout).toContain('Real tenant "acme": client svc');
    expect(stdout).toContain('GRANTKIT_NETWORK_ERROR — the token URL is unreachable');
    expect(stdout).toContain('RESULT: FAILED');
    expect(`${stdout}${stderr}`).not.toContain('never-printed-secret');
    expect(code).toBe(1);
  });

  it('names the missing variables when only some are set', async () => {
    const { code, stderr } = await runDemo([], { VERINT_DOMAIN: 'acme' });
    expect(stderr).toContain('Configuration error');
    expect(stderr).toContain('VERINT_CLIENT_ID, VERINT_CLIENT_SECRET');
    expect(code).toBe(2);
  });
});
