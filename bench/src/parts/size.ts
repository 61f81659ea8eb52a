import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Config, PartResult, Row } from '../result.js';

/** What is bundled: the import a user writes to get client-credentials tokens (and, for adapters, use them). */
export interface SizeSubject {
  readonly subject: string;
  readonly source: string;
  readonly platform: 'browser' | 'node';
  /** Peer frameworks the user already has: not counted. */
  readonly external?: readonly string[];
  readonly grantkit?: boolean;
  readonly note?: string;
}

export const SIZE_SUBJECTS: SizeSubject[] = [
  {
    subject: '@grantkit/core — `clientCredentials`',
    source: "export { clientCredentials } from '@grantkit/core';",
    platform: 'browser',
    grantkit: true,
    note: 'includes openid-client (oauth4webapi)',
  },
  {
    subject: '@badgateway/oauth2-client — `OAuth2Client` + `OAuth2Fetch`',
    source: "export { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';",
    platform: 'browser',
  },
  {
    subject: 'openid-client — `Configuration` + `clientCredentialsGrant`',
    source: "export { Configuration, clientCredentialsGrant, ClientSecretBasic } from 'openid-client';",
    platform: 'browser',
    note: 'no cache',
  },
  {
    subject: 'simple-oauth2 — `ClientCredentials`',
    source: "export { ClientCredentials } from 'simple-oauth2';",
    platform: 'node',
    note: 'Node only (@hapi/wreck); node: built-ins not counted; no cache',
  },
];

const here = fileURLToPath(new URL('..', import.meta.url));

/** Minified ESM bundle of `subject.source`, in bytes, raw and gzipped (level 9). */
export async function bundleSize(subject: SizeSubject): Promise<{ minified: number; gzip: number }> {
  const result = await build({
    stdin: { contents: subject.source, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: subject.platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    external: [...(subject.external ?? [])],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** Part 5: minified + gzipped size of each package's edge entry and of each peer's equivalent import. */
export async function size(_config: Config, extra: readonly SizeSubject[] = []): Promise<PartResult> {
  const rows: Row[] = [];
  const measured: { subject: SizeSubject; gzip: number }[] = [];
  for (const subject of [...SIZE_SUBJECTS.slice(0, 1), ...extra, ...SIZE_SUBJECTS.slice(1)]) {
    const { minified, gzip } = await bundleSize(subject);
    measured.push({ subject, gzip });
    rows.push({
      measurement: 'min + gzip',
      subject: subject.subject,
      value: gzip,
      unit: 'B',
      note: `${minified.toLocaleString('en')} B minified${subject.note ? `; ${subject.note}` : ''}`,
    });
  }
  const core = measured[0]?.gzip ?? Number.NaN;
  const cached = measured.find((m) => m.subject.subject.startsWith('@badgateway'))?.gzip ?? Number.NaN;
  return {
    id: 'size',
    title: '5. Size — esbuild bundle, minified, gzip',
    rows: rows.map((row) => ({ ...row, ratio: row.value / core })),
    notes: [
      'esbuild `bundle: true, minify: true, format: esm`, platform `browser` (edge-like) unless the row says Node; gzip level 9 with node:zlib. Ratio against @grantkit/core. Peer frameworks (hono, ky, express) are external: the user already has them.',
      `The closest peer with a token cache (@badgateway/oauth2-client) is ${(cached / core).toFixed(2)}× Grantkit core's size; openid-client is what Grantkit core builds on.`,
    ],
  };
}
