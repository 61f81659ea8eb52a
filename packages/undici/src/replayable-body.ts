import { isReplayableBody } from '@grantkit/core';
import type { Dispatcher } from 'undici';

type Body = Dispatcher.DispatchOptions['body'];

const isStream = (body: unknown): body is AsyncIterable<Uint8Array | string> =>
  typeof body === 'object' && body !== null && Symbol.asyncIterator in body;

/** undici's own `FormData` is not the global class when undici is not the one built into Node. */
const isFormData = (body: unknown): boolean => Object.prototype.toString.call(body) === '[object FormData]';

/**
 * The body to send, and whether it can be sent again after a 401. A stream (Node's `fetch` hands every body
 * as one, and so does a `Readable`) is read up to `limit` bytes: one that ends within the limit becomes a
 * `Buffer` that can be replayed; a longer one goes on as a stream of everything, read or not, and cannot.
 */
export async function replayableBody(
  body: Body,
  limit: number,
): Promise<{ body: Body; replayable: boolean }> {
  if (!isStream(body)) return { body, replayable: isReplayableBody(body) || isFormData(body) };
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const { done, value } = await iterator.next();
    if (done) return { body: Buffer.concat(chunks, size), replayable: true };
    const chunk =
      typeof value === 'string'
        ? Buffer.from(value)
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* chunks;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value);
  }
  return { body: rest() as unknown as Body, replayable: false };
}
