import type { BasicDecoding } from './auth-server-options.js';

/**
 * How a token request authenticated its client, as recorded in the request log.
 *
 * @example
 * ```ts
 * expect(auth.requestLog[0]?.auth).toBe('basic');
 * ```
 */
export type ClientAuthMethod = 'basic' | 'post' | 'none';

/** The client credentials a token request presented, before they are checked. */
export interface PresentedClient {
  readonly method: ClientAuthMethod;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Set when the request is malformed: both methods at once, or an undecodable Basic header. */
  readonly problem?: string;
}

const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

/**
 * Decodes `Authorization: Basic`: base64-decode, split on the first `:`, then (RFC 6749 §2.3.1) form-urldecode
 * each half (`+` is a space, `%XX` an octet of UTF-8), or (`'raw'`, Keycloak before 20) keep them as they are.
 */
function decodeBasic(
  header: string,
  decoding: BasicDecoding,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  try {
    const binary = atob(match[1]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    const decode = decoding === 'raw' ? (value: string) => value : formDecode;
    return { clientId: decode(text.slice(0, colon)), clientSecret: decode(text.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** Reads the client credentials from the `Authorization` header and the form body, without checking them. */
export function readPresentedClient(
  authorization: string | undefined,
  form: URLSearchParams,
  decoding: BasicDecoding = 'rfc6749',
): PresentedClient {
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;
  if (authorization !== undefined && /^Basic\b/i.test(authorization)) {
    const basic = decodeBasic(authorization, decoding);
    if (!basic) return { method: 'basic', problem: 'Malformed Basic authorization header' };
    if (bodySecret !== undefined) {
      return { method: 'basic', ...basic, problem: 'Client authenticated with more than one method' };
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      return { method: 'basic', ...basic, problem: 'client_id does not match the Basic credentials' };
    }
    return { method: 'basic', ...basic };
  }
  if (bodySecret !== undefined) {
    return bodyId === undefined
      ? { method: 'post', clientSecret: bodySecret }
      : { method: 'post', clientId: bodyId, clientSecret: bodySecret };
  }
  return bodyId === undefined ? { method: 'none' } : { method: 'none', clientId: bodyId };
}
