import { Readable } from 'node:stream';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** The request's headers as web `Headers`, repeated fields kept. */
function incomingHeaders(req: ExpressRequest): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string);
  }
  return headers;
}

/** The request body as a web stream, or `null` when the request has none. */
function incomingBody(req: ExpressRequest): ReadableStream<Uint8Array> | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return null;
  if (req.readableEnded) {
    throw new Error('authProxy: the request body was already read; mount authProxy before body parsers');
  }
  return Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
}

/**
 * The Node request as a web `Request` (its path as the caller sent it, `req.originalUrl`), its body streamed, and a signal that aborts when the caller goes away before the response is sent.
 */
export function webRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const abandoned = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abandoned.abort();
  });
  const body = incomingBody(req);
  return new Request(new URL(`http://proxy.invalid${req.originalUrl}`), {
    method: req.method,
    headers: incomingHeaders(req),
    body,
    signal: abandoned.signal,
    ...(body ? { duplex: 'half' } : {}),
  } as RequestInit);
}
