import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** Sends a web `Response` through Express: status, headers, and the body streamed (none for `HEAD`). */
export async function sendWebResponse(
  response: Response,
  req: ExpressRequest,
  res: ExpressResponse,
): Promise<void> {
  res.status(response.status);
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as never), res);
}
