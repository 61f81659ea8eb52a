/** An RFC 6749 §5.2 error response body. */
export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description?: string;
}

/** Builds an RFC 6749 §5.2 JSON error response. */
export function oauthError(
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
): Response {
  const body: OAuthErrorBody =
    description === undefined ? { error } : { error, error_description: description };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
