import { type AuthServer, createAuthServer } from '@grantkit/testing';
import { listen, type RunningServer } from '@grantkit/testing/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verintCommand } from './test/command-lines.js';
import { JWT } from './test/grantkit-bin.js';
import { onTerminal } from './test/pseudo-terminal.js';
import { leakedForms, SECRET } from './test/secrets.js';

let auth: AuthServer;
let server: RunningServer;
let args: string[];
const PROMPT = 'Client secret for svc (input hidden): ';

beforeAll(async () => {
  auth = await createAuthServer({ realms: { acme: { clients: { svc: { secret: SECRET } } } } });
  server = await listen(auth.app);
  args = verintCommand(server.url);
});
afterAll(() => server.close());

const expectNothingLeaked = (screen: string): void => {
  for (const leaked of leakedForms(SECRET)) expect(screen).not.toContain(leaked);
  expect(screen).not.toMatch(JWT);
};

it('asks for the secret on a terminal without echoing it (Backspace edits)', async () => {
  const { code, screen } = await onTerminal(args, PROMPT, `${SECRET}Z\u007f\r`);

  expect(code).toBe(0);
  expect(screen).toMatch(/input hidden\): \r\nToken issued\r\n/);
  expect(screen).toContain('azp');
  expectNothingLeaked(screen);
  expect(auth.requestLog).toMatchObject([{ clientId: 'svc', status: 200 }]);
});

it('Ctrl-C at the prompt exits 130 without a token request', async () => {
  const before = auth.tokenRequests;
  const { code, screen } = await onTerminal(args, PROMPT, `${SECRET.slice(0, 5)}\u0003`);

  expect(code).toBe(130);
  expectNothingLeaked(screen);
  expect(screen).not.toContain(SECRET.slice(0, 5));
  expect(auth.tokenRequests).toBe(before);
});

it('reports an http: URL without --allow-insecure-requests before asking for the secret', async () => {
  const insecure = args.filter((arg) => arg !== '--allow-insecure-requests');
  const { code, screen } = await onTerminal(insecure, PROMPT, `${SECRET}\r`);

  expect(code).toBe(2);
  expect(screen).not.toContain(PROMPT);
  expect(screen).toContain('add --allow-insecure-requests');
  expectNothingLeaked(screen);
});
