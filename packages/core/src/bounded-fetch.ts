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
async function readBounded(response: Response, maxBytes: number, deadline: Promise<never>): Promise<Blob> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    for (;;) {
      const read = await Promise.race([reader?.read() ?? { done: true as const }, deadline]);
      if (read.done) return new Blob(chunks);
      size += read.value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes, response.status);
      chunks.push(read.value);
    }
  } catch (error) {
    reader?.cancel().catch(() => {});
    throw error;
  }
}

/**
 * Wraps `inner` so that each response's body is read in full before it is handed on: at most `maxBytes`
 * (after any `Content-Encoding` is undone, so a gzip bomb stops at the cap too), and within `timeoutMs` of
 * the request (a body that trickles in is a timeout, not a parse error). The response handed on is a
 * buffered copy; `exchange` learns the endpoint asked for and the answer read.
 */
export function boundedFetch(inner: typeof fetch, bounds: Bounds, exchange: Exchange): typeof fetch {
  return async (input, init) => {
    exchange.endpoint = endpointOf(input instanceof Request ? input.url : String(input));
    let timer: ReturnType<typeof setTimeout> | undefined;
    // openid-client's signal ends the request itself; the race also ends a fetch that ignores its signal
    // once the headers are in (a body that trickles in).
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new GrantkitError('GRANTKIT_TIMEOUT', `no whole answer from ${exchange.endpoint} in time`, {
              retryable: true,
            }),
          ),
        bounds.timeoutMs,
      );
    });
    deadline.catch(() => {});
    try {
      const response = await Promise.race([inner(input, init), deadline]);
      const body = await readBounded(response, bounds.maxBytes, deadline);
      const headers = new Headers(response.headers);
      headers.delete('content-encoding');
      headers.delete('content-length');
      let json: unknown;
      try {
        json = JSON.parse(await body.text());
      } catch {}
      exchange.answer = { status: response.status, headers, json };
      return new Response(body.size ? body : null, { status: response.status, headers });
    } finally {
      clearTimeout(timer);
    }
  };
}
