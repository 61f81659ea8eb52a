import { bufferBody, isReplayableBody } from '@grantkit/core';
import type { Dispatcher } from 'undici';

type Body = Dispatcher.DispatchOptions['body'];

const isStream = (body: unknown): body is AsyncIterable<Uint8Array | string> =>
  typeof body === 'object' && body !== null && Symbol.asyncIterator in body;

const bytes = (chunk: Uint8Array | string): Uint8Array =>
  typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;

/**
 * The body to send, and whether it can be sent again after a 401. A stream (Node's `fetch` hands every body
 * as one, and so does a `Readable`) is read up to `limit` bytes by core's `bufferBody`: within the limit it
 * becomes bytes that can be replayed; beyond it, a stream of everything that cannot.
 */
/** undici's own `FormData` is not the global class when undici is not the one built into Node. */
const isFormData = (body: unknown): boolean => Object.prototype.toString.call(body) === '[object FormData]';

export async function replayableBody(
  body: Body,
  limit: number,
): Promise<{ body: Body; replayable: boolean }> {
  if (!isStream(body)) return { body, replayable: isReplayableBody(body) || isFormData(body) };
  const iterator = body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(bytes(value));
    },
    cancel: async (reason) => {
      await iterator.return?.(reason);
    },
  });
  const buffered = await bufferBody(stream, limit);
  return buffered instanceof ReadableStream
    ? { body: buffered as unknown as Body, replayable: false }
    : { body: Buffer.from(buffered.buffer, buffered.byteOffset, buffered.byteLength), replayable: true };
}
