import { isReplayableBody, type OutboundPolicy } from './outbound.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Fetch's own limit (WHATWG Fetch, "HTTP-redirect fetch"). */
const MAX_REDIRECTS = 20;

/**
 * One request as {@link followRedirects} re-sends it: what each hop needs.
 *
 * @example
 * ```ts
 * const first: RedirectHop = { url: request.url, method: 'POST', body, resendable: isReplayableBody(body) };
 * ```
 */
export interface RedirectHop {
  readonly url: string;
  readonly method: string;
  /** `undefined` for a body that cannot be sent twice (a stream): a 307/308 is then returned as is. */
  readonly body: BodyInit | null | undefined;
  readonly resendable: boolean;
}

/**
 * Whether `response` is a redirect to follow: a 301, 302, 303, 307 or 308 with a `Location`.
 *
 * @example
 * ```ts
 * if (isRedirect(response)) [response, url] = await followRedirects(response, first, policy, send);
 * ```
 */
export function isRedirect(response: Response): boolean {
  return REDIRECTS.has(response.status) && response.headers.has('location');
}

/**
 * Follows `response`'s redirects one hop at a time (the requests were sent with `redirect: 'manual'`),
 * asking `policy` at every hop whether the token goes there: `send(hop, withToken)`. So a token never
 * follows a redirect out of a URL-prefix rule, in every runtime. Every adapter that lets a token travel
 * with a redirect follows it through here. Methods change as fetch changes them (303,
 * and 301/302 after a POST, become a body-less GET). Returns the last answer and the URL that gave it.
 *
 * @example
 * ```ts
 * const [last, url] = await followRedirects(first, hop, policy, send);
 * ```
 */
export async function followRedirects(
  response: Response,
  first: RedirectHop,
  policy: OutboundPolicy,
  send: (hop: RedirectHop, withToken: boolean) => Promise<Response>,
): Promise<[Response, string]> {
  let current = response;
  let hop = first;
  for (let hops = 0; hops < MAX_REDIRECTS; hops++) {
    if (!isRedirect(current)) break;
    const location = current.headers.get('location') as string;
    let next: string;
    try {
      next = new URL(location, hop.url).href;
    } catch {
      break;
    }
    const toGet =
      current.status === 303 ? hop.method !== 'HEAD' : current.status <= 302 && hop.method === 'POST';
    if (!toGet && hop.body != null && !hop.resendable) break;
    void current.body?.cancel().catch(() => {});
    hop = toGet
      ? { url: next, method: 'GET', body: undefined, resendable: true }
      : { url: next, method: hop.method, body: hop.body, resendable: hop.resendable };
    current = await send(hop, policy.matches(next));
  }
  return [current, hop.url];
}

/**
 * What {@link followRequest} follows from: a token-carrying `Request` sent with `redirect: 'manual'`.
 *
 * @example
 * ```ts
 * const sent: SentRequest = { request, body: 'the body, as it can be sent again', signal };
 * ```
 */
export interface SentRequest {
  /** The request as it was sent: URL, method and headers, `Authorization` among them. */
  readonly request: Request;
  /** Its body as it can be sent again (a string, bytes…), `null` for none; a stream cannot be. */
  readonly body: BodyInit | null | undefined;
  /** Aborts the hops: the caller's signal. */
  readonly signal?: AbortSignal | null | undefined;
}

/**
 * {@link followRedirects} for adapters whose client sends `Request`s (ky, openapi-fetch): each hop is a
 * `Request` with the sent request's headers — `Authorization` only where `policy` allows — sent with
 * `redirect: 'manual'` through `fetch`. Returns the last answer and the URL that gave it.
 *
 * @example
 * ```ts
 * const [last, url] = await followRequest(response, { request, body: null }, policy, fetch);
 * ```
 */
export function followRequest(
  response: Response,
  sent: SentRequest,
  policy: OutboundPolicy,
  fetch: (request: Request) => Promise<Response>,
): Promise<[Response, string]> {
  const { request, body, signal } = sent;
  const first = { url: request.url, method: request.method, body, resendable: isReplayableBody(body) };
  return followRedirects(response, first, policy, (hop, carries) => {
    const headers = new Headers(request.headers);
    if (!carries) headers.delete('authorization');
    const init: RequestInit = { method: hop.method, headers, body: hop.body ?? null, redirect: 'manual' };
    if (signal) init.signal = signal;
    return fetch(new Request(hop.url, init));
  });
}
