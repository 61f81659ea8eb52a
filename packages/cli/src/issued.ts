import type { AccessToken } from '@grantkit/core';
import { CLAIM_FIELDS, type DecodedJwt, decodeJwt, HEADER_FIELDS, pick } from './jwt.js';

/** A successful token request, as the CLI reports it. */
export interface Issued {
  readonly tokenUrl: string;
  readonly latencyMs: number;
  readonly token: AccessToken;
  /** When the response arrived (epoch ms), by the source's clock. */
  readonly receivedAt: number;
}

/** More than this between the JWT's `iat` and the local receive time is worth a note. */
const CLOCK_NOTE_MS = 30_000;

/** The JSON object `--json` prints; the token itself only when `withToken`. */
export function issuedJson(issued: Issued, withToken: boolean): Record<string, unknown> {
  const { token } = issued;
  const jwt = decodeJwt(token.accessToken);
  return {
    ok: true,
    tokenUrl: issued.tokenUrl,
    latencyMs: issued.latencyMs,
    tokenType: token.tokenType,
    expiresIn: Math.round((token.expiresAt - issued.receivedAt) / 1000),
    expiresAt: new Date(token.expiresAt).toISOString(),
    scope: token.scope ?? null,
    jwt: jwt ? { header: pick(jwt.header, HEADER_FIELDS), claims: pick(jwt.claims, CLAIM_FIELDS) } : null,
    notes: notes(issued, jwt),
    ...(withToken ? { accessToken: token.accessToken } : {}),
  };
}

function notes(issued: Issued, jwt: DecodedJwt | undefined): string[] {
  if (!jwt) {
    return ['the token is not a JWT (an opaque token): there is no header or claims to show'];
  }
  const iat = jwt.claims['iat'];
  if (typeof iat !== 'number') return [];
  const drift = iat * 1000 - issued.receivedAt;
  if (Math.abs(drift) <= CLOCK_NOTE_MS) return [];
  const seconds = Math.round(Math.abs(drift) / 1000);
  return [
    `the server's clock is ${seconds} s ${drift > 0 ? 'ahead of' : 'behind'} this machine's (JWT iat against the time the token arrived); Grantkit times expiry by expires_in on the local clock, so this does not shorten the token's life`,
  ];
}

function duration(seconds: number): string {
  const parts: string[] = [];
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s && seconds >= 60) parts.push(`${s} s`);
  return seconds >= 60 ? `${seconds} s (${parts.join(' ')})` : `${seconds} s`;
}

const isTime = (field: string): boolean => field === 'iat' || field === 'exp' || field === 'nbf';

/** A claim as `[path, text]` rows: nested role maps (`resource_access.account.roles`) get a row per leaf. */
function claimRows(path: string, value: unknown): [string, string][] {
  if (Array.isArray(value)) return [[path, value.map(String).join(', ')]];
  if (typeof value === 'object' && value !== null) {
    const rows = Object.entries(value).flatMap(([key, inner]) => claimRows(`${path}.${key}`, inner));
    return rows.length > 0 ? rows : [[path, '{}']];
  }
  if (typeof value === 'number' && isTime(path))
    return [[path, `${value} (${new Date(value * 1000).toISOString()})`]];
  return [[path, String(value)]];
}

type Section = readonly [title: string, rows: readonly [string, string][]];

/** A titled block of `label  text` rows, the texts aligned. */
function layout([title, rows]: Section): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return [title, ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`)].join('\n');
}

/** The report for a person: everything about the token except the token. */
export function issuedText(issued: Issued): string {
  const json = issuedJson(issued, false);
  const { token } = issued;
  const sections: Section[] = [
    [
      'Token issued',
      [
        ['token URL', issued.tokenUrl],
        ['outcome', `ok, in ${issued.latencyMs} ms`],
        ['token type', token.tokenType],
        ['lifetime', `${duration(json['expiresIn'] as number)}, expires ${json['expiresAt'] as string}`],
        ['scope', token.scope ?? '(the server did not say)'],
      ],
    ],
  ];
  const jwt = decodeJwt(token.accessToken);
  if (jwt) {
    const header = Object.entries(pick(jwt.header, HEADER_FIELDS));
    sections.push(['JWT header', header.map(([field, value]) => [field, String(value)])]);
    const claims = Object.entries(pick(jwt.claims, CLAIM_FIELDS));
    sections.push([
      'JWT claims (decoded, not verified)',
      claims.flatMap(([field, value]) => claimRows(field, value)),
    ]);
  }
  const notes = (json['notes'] as string[]).map((note) => `note: ${note}`);
  return `${[...sections.filter(([, rows]) => rows.length > 0).map(layout), ...notes].join('\n\n')}\n`;
}
