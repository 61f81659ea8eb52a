import { GrantkitError } from './errors.js';

/** The last answer a {@link boundedFetch} read in full: what classification needs besides the thrown error. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** The body as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** Where a {@link boundedFetch} reports what it saw. */
export interface Exchange {
  /** `origin + pathname` of the last URL asked for: never a query, never credentials. */
  endpoint?: string;
  answer?: Answer;
}

/** What {@link boundedFetch} enforces. */
export interface Bounds {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** A URL as it may appear in an error message: origin and path, no query, no credentials. */
export const endpointOf = (url: string | URL): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

const tooLarge = (maxBytes: number, status: number): GrantkitError =>
  new GrantkitError('GRANTKIT_INVALID_RESPONSE', `response body larger than ${maxBytes} bytes`, {
    status,
    retryable: true,
  });

/** Reads a whole body, failing as soon as it passes `maxBytes` or when `deadline` fires. */
async function readBounded(
  response: Response,
  maxBytes: number,
  deadline: Promise<never>,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length'));
  if (!response.headers.has('content-encoding') && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes, response.status);
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(new ArrayBuffer(0));
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes, response.status);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const parse = (body: Uint8Array): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
};

/**
 * Wraps `inner` so that each response's body is read in full before it is handed on: at most `maxBytes`
 * (after any `Content-Encoding` is undone, so a gzip bomb stops at the cap too), and within `timeoutMs` of
 * the request (a body that trickles in is a timeout, not a parse error). The response handed on is a
 * buffered copy; `exchange` learns the endpoint asked for and the answer read.
 */
export function boundedFetch(inner: typeof fetch, bounds: Bounds, exchange: Exchange): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    exchange.endpoint = endpointOf(url);
    const controller = new AbortController();
    const caller = init?.signal;
    const forward = (): void => controller.abort(caller?.reason);
    if (caller?.aborted) forward();
    else caller?.addEventListener('abort', forward, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Also raced, not only signalled: a fetch that ignores its signal once the headers are in cannot stall.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new GrantkitError(
          'GRANTKIT_TIMEOUT',
          `no whole answer from ${exchange.endpoint} within ${bounds.timeoutMs} ms`,
          { retryable: true },
        );
        controller.abort(error);
        reject(error);
      }, bounds.timeoutMs);
    });
    deadline.catch(() => {});
    try {
      const response = await Promise.race([inner(input, { ...init, signal: controller.signal }), deadline]);
      const body = await readBounded(response, bounds.maxBytes, deadline);
      const headers = new Headers(response.headers);
      headers.delete('content-encoding');
      headers.delete('content-length');
      exchange.answer = { status: response.status, headers, json: parse(body) };
      return new Response(body.byteLength === 0 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forward);
    }
  };
}
