import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import esbuildPlugin from '@size-limit/esbuild';
import filePlugin from '@size-limit/file';
import sizeLimit from 'size-limit';
import type { Config, PartResult, Row } from '../result.js';

/** What is bundled: the import a user writes to get client-credentials tokens (and, for adapters, use them). */
export interface SizeSubject {
  readonly subject: string;
  /** size-limit's `import`: module specifier → the names imported from it (tree-shaken). */
  readonly imports: Readonly<Record<string, string>>;
  readonly platform: 'browser' | 'node';
  /** Peer frameworks the user already has: not counted. */
  readonly external?: readonly string[];
  readonly grantkit?: boolean;
  readonly note?: string;
}

export const SIZE_SUBJECTS: SizeSubject[] = [
  {
    subject: '@grantkit/core — `clientCredentials`',
    imports: { '@grantkit/core': '{ clientCredentials }' },
    platform: 'browser',
    grantkit: true,
    note: 'includes openid-client (oauth4webapi)',
  },
  {
    subject: '@badgateway/oauth2-client — `OAuth2Client` + `OAuth2Fetch`',
    imports: { '@badgateway/oauth2-client': '{ OAuth2Client, OAuth2Fetch }' },
    platform: 'browser',
  },
  {
    subject: 'openid-client — `Configuration` + `clientCredentialsGrant`',
    imports: { 'openid-client': '{ Configuration, clientCredentialsGrant, ClientSecretBasic }' },
    platform: 'browser',
    note: 'no cache',
  },
  {
    subject: 'simple-oauth2 — `ClientCredentials`',
    imports: { 'simple-oauth2': '{ ClientCredentials }' },
    platform: 'node',
    note: 'Node only (@hapi/wreck); node: built-ins not counted; no cache',
  },
];

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(benchDir, '..');

/**
 * The measurement of the repository's size budgets (`.size-limit.mjs`, `pnpm size`): size-limit with its
 * esbuild plugin, ESM, minified, gzip level 9, size-limit's empty-project overhead subtracted. Each subject's
 * modules resolve from the bench package, as its own import would.
 */
export async function bundleSize(subject: SizeSubject): Promise<number> {
  const check = {
    files: [] as string[],
    import: { ...subject.imports },
    ignore: [...(subject.external ?? []), ...(subject.platform === 'node' ? ['node:*'] : [])],
    gzip: true,
    modifyEsbuildConfig: (config: object) => ({
      ...config,
      platform: subject.platform,
      format: 'esm',
      target: 'es2022',
      nodePaths: [join(benchDir, 'node_modules')],
    }),
  };
  const [result] = (await sizeLimit([esbuildPlugin, filePlugin], { checks: [check] })) as { size: number }[];
  if (result === undefined) throw new Error(`size-limit measured nothing for ${subject.subject}`);
  return result.size;
}

interface BudgetResult {
  readonly name: string;
  readonly size: number;
  readonly sizeLimit: number;
  readonly passed: boolean;
}

/** The budgets exactly as CI checks them: `size-limit --json` on the repository's `.size-limit.mjs`. */
async function budgets(): Promise<BudgetResult[]> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('size-limit/package.json')), 'bin.js');
  const run = promisify(execFile);
  // size-limit exits 1 when a budget is exceeded; the JSON on stdout still has every figure.
  const { stdout } = await run(process.execPath, [bin, '--json'], { cwd: repoRoot }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return JSON.parse(stdout) as BudgetResult[];
}

/** Part 5: minified + gzipped size of each package's edge entry and of each peer's equivalent import. */
export async function size(_config: Config, extra: readonly SizeSubject[] = []): Promise<PartResult> {
  const rows: Row[] = [];
  for (const budget of await budgets()) {
    rows.push({
      measurement: 'min + gzip (size budget)',
      subject: budget.name,
      value: budget.size,
      unit: 'B',
      target: `≤ ${budget.sizeLimit} B`,
      pass: budget.passed,
    });
  }
  const measured: { subject: SizeSubject; gzip: number }[] = [];
  for (const subject of [...SIZE_SUBJECTS.slice(0, 1), ...extra, ...SIZE_SUBJECTS.slice(1)]) {
    const gzip = await bundleSize(subject);
    measured.push({ subject, gzip });
    rows.push({
      measurement: 'min + gzip',
      subject: subject.subject,
      value: gzip,
      unit: 'B',
      ...(subject.note ? { note: subject.note } : {}),
    });
  }
  const core = measured[0]?.gzip ?? Number.NaN;
  const cached = measured.find((m) => m.subject.subject.startsWith('@badgateway'))?.gzip ?? Number.NaN;
  return {
    id: 'size',
    title: '5. Size — size-limit (esbuild), minified, gzip',
    rows: rows.map((row) => (row.target ? row : { ...row, ratio: row.value / core })),
    notes: [
      "The size budgets are `pnpm size` (`.size-limit.mjs`) as CI runs it. The other rows use the same measurement: size-limit's esbuild plugin, `import` of the named exports (tree-shaken), ESM, minified, gzip level 9; platform `browser` (edge-like) unless the row says Node. Ratio against @grantkit/core. Peer frameworks (hono, ky, express) are external: the user already has them.",
      `The closest peer with a token cache (@badgateway/oauth2-client) is ${(cached / core).toFixed(2)}× Grantkit core's size; openid-client is what Grantkit core builds on.`,
    ],
  };
}
