/** The client's secret: every character RFC 6749 §2.3.1 form-encodes. */
export const SECRET = 'p+ss:w%rd x-Cli7';
/** A wrong secret, which must not show up in any output either. */
export const WRONG_SECRET = 'not-the-secret-9Zq';

/** The forms a secret could leak in: as is, form-urlencoded, and inside a Basic credential. */
export function leakedForms(secret: string, clientId = 'svc'): string[] {
  const encoded = new URLSearchParams({ s: secret }).toString().slice(2);
  return [
    secret,
    encoded,
    Buffer.from(`${clientId}:${secret}`).toString('base64'),
    Buffer.from(`${encodeURIComponent(clientId)}:${encoded}`).toString('base64'),
  ];
}
