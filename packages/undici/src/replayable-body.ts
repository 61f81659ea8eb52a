import { type BodyChunks, bufferBody, isReplayableBody } from '@grantkit/core';
import type { Dispatcher } from 'undici';

type Body = Dispatcher.DispatchOptions['body'];

const isStream = (body: unknown): body is BodyChunks =>
  typeof body === 'object' && body !== null && Symbol.asyncIterator in body;

/** undici's own `FormData` is not the global class when undici is not the one built into Node. */
const isFormData = (body: unknown): boolean => Object.prototype.toString.call(body) === '[object FormData]';

/**
 * The body to send, and whether it can be sent again after a 401. A stream (Node's `fetch` hands every body
 * as one, and so does a `Readable`) goes through core's `bufferBody`: one that ends within `limit` becomes
 * bytes that can be replayed; a longer one goes on as a stream of everything, read or not, and cannot.
 */
export async function replayableBody(
  body: Body,
  limit: number,
): Promise<{ body: Body; replayable: boolean }> {
  if (!isStream(body)) return { body, replayable: isReplayableBody(body) || isFormData(body) };
  const buffered = await bufferBody(body, limit);
  // undici sends any async iterable, and a web ReadableStream is one on Node.
  return { body: buffered as unknown as Body, replayable: buffered instanceof Uint8Array };
}
