import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The Fastify request as a web `Request`: the path as the caller sent it, repeated headers kept, the body
 * streamed from the socket (the proxy's content-type parser leaves it unread), and a signal that aborts
 * when the caller goes away before the answer is sent.
 */
export function webRequest(request: FastifyRequest, reply: FastifyReply): Request {
  const abandoned = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abandoned.abort();
  });
  const headers = new Headers();
  const raw = request.raw.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string);
  }
  const framed =
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length']) > 0;
  const body =
    framed && request.method !== 'GET' && request.method !== 'HEAD' ? Readable.toWeb(request.raw) : null;
  return new Request(new URL(`http://proxy.invalid${request.url}`), {
    method: request.method,
    headers,
    body: body as ReadableStream<Uint8Array> | null,
    signal: abandoned.signal,
    ...(body ? { duplex: 'half' } : {}),
  } as RequestInit);
}
