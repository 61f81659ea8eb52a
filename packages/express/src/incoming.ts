import { Readable } from 'node:stream';
import type { Request } from 'express';

/** The request's headers as web `Headers`, repeated fields kept. */
export function incomingHeaders(req: Request): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string);
  }
  return headers;
}

/** The request body as a web stream, or `undefined` when the request has none. */
export function incomingBody(req: Request): ReadableStream<Uint8Array> | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0'))
    return undefined;
  if (req.readableEnded) {
    throw new Error('authProxy: the request body was already read; mount authProxy before body parsers');
  }
  return Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
}
