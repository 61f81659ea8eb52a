import type { Context } from 'hono';
import type { ResourceServerEnv } from './resource-server-env.js';

/**
 * What the resource server's `/echo` route answers.
 *
 * @example
 * ```ts
 * const echo: EchoResponse = await (await api.fetch('/echo', { headers })).json();
 * ```
 */
export interface EchoResponse {
  readonly method: string;
  readonly path: string;
  /** Query parameters (first value of each). */
  readonly query: Record<string, string>;
  /** Request headers, names lowercased; `authorization` reads `Bearer <redacted>`. */
  readonly headers: Record<string, string>;
  /** The body as text, or base64 when it is not UTF-8 text (see `bodyEncoding`). `''` when there is none. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** The `Content-Type` header, or `null`. */
  readonly contentType: string | null;
  /** The token's `jti`, so tests can tell which token a request carried. */
  readonly tokenId: string | undefined;
  /** The token's `sub`. */
  readonly sub: string | undefined;
  /** The token's client id (`azp`). */
  readonly clientId: string | undefined;
  /** The token's `scope`. */
  readonly scope: string | undefined;
}

const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

function decodeBody(bytes: Uint8Array): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bodyEncoding: 'utf8' };
  } catch {
    return { body: toBase64(bytes), bodyEncoding: 'base64' };
  }
}

/** Answers with a JSON description of the request it received. */
export async function echo(c: Context<ResourceServerEnv>): Promise<Response> {
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = name.toLowerCase() === 'authorization' ? 'Bearer <redacted>' : value;
  });
  const claims = c.get('claims');
  const { azp, scope } = claims as { azp?: unknown; scope?: unknown };
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const isBinaryType = /^(application\/octet-stream|image\/|audio\/|video\/)/i.test(
    c.req.header('Content-Type') ?? '',
  );
  const decoded = isBinaryType
    ? { body: toBase64(bytes), bodyEncoding: 'base64' as const }
    : decodeBody(bytes);
  const response: EchoResponse = {
    method: c.req.method,
    path: c.req.path,
    query: c.req.query(),
    headers,
    ...decoded,
    contentType: c.req.header('Content-Type') ?? null,
    tokenId: claims.jti,
    sub: claims.sub,
    clientId: typeof azp === 'string' ? azp : undefined,
    scope: typeof scope === 'string' ? scope : undefined,
  };
  return c.json(response);
}
