import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServingDemo, serveDemo } from './test/demo-process.js';

// Debian's chromium, installed by scripts/install-chromium.sh (the vitest globalSetup).
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('pnpm demo --serve: the live page', () => {
  let demo: ServingDemo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await serveDemo();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    // Clean-up only when a test failed before stopping it; the exit itself is the last test.
    if (demo?.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
  });

  it('shows the live token state, and a new token request after "revoke token"', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${demo.url}/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'valid', null, {
      timeout: 15_000,
    });
    const requests = async (): Promise<number> => Number(await page.textContent('#token-requests'));
    const before = await requests();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#adapters')).toContain('worker');
    // The worker row shows each isolate's token cache, both served from the one Durable Object token.
    await page.waitForFunction(
      () =>
        /demo-worker-a valid.*demo-worker-b valid/.test(
          document.getElementById('adapters')?.textContent ?? '',
        ),
      null,
      { timeout: 15_000 },
    );

    await page.click('#revoke');
    await page.waitForFunction(
      (n) => Number(document.getElementById('token-requests')?.textContent) > n,
      before,
      { timeout: 15_000 },
    );
    expect(await requests()).toBeGreaterThan(before);
    if (process.env['DEMO_SCREENSHOT']) await page.screenshot({ path: process.env['DEMO_SCREENSHOT'] });
  });

  it('stops on SIGINT: closes every server and Miniflare, and exits 130 on its own', async () => {
    expect(await demo.stop()).toBe(130);
  });
});
