/**
 * A request body that arrives in chunks: a web `ReadableStream`, or any async iterable of bytes or strings
 * (a Node `Readable`, the body undici hands an interceptor).
 *
 * @example
 * ```ts
 * const chunks: BodyChunks = new Blob(['{"a":1}']).stream();
 * ```
 */
export type BodyChunks = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

interface ChunkReader {
  read(): Promise<IteratorResult<Uint8Array, unknown>>;
  cancel(reason: unknown): Promise<void>;
}

const encoder = new TextEncoder();

function chunkReader(body: BodyChunks): ChunkReader {
  if ('getReader' in body && typeof body.getReader === 'function') {
    const reader = body.getReader();
    return { read: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
  }
  const iterator = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  return {
    read: async () => {
      const next = await iterator.next();
      if (next.done) return next;
      return { done: false, value: typeof next.value === 'string' ? encoder.encode(next.value) : next.value };
    },
    cancel: async (reason) => {
      await iterator.return?.(reason);
    },
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Makes a request body replayable when it is small: reads `body` up to `limit` bytes. A body that ends
 * within the limit comes back as bytes (a 401 can be replayed with them); a longer one comes back as a
 * `ReadableStream` that yields everything, read or not (it cannot be replayed). For adapters that must
 * replay a streamed body once after a rejected token.
 *
 * @example
 * ```ts
 * const body = request.body && (await bufferBody(request.body, 1_048_576));
 * const replayable = body instanceof Uint8Array;
 * ```
 */
export async function bufferBody(
  body: BodyChunks,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
  const reader = chunkReader(body);
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks, size);
    chunks.push(value);
    size += value.byteLength;
  }
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const chunk = chunks.shift();
      if (chunk) return controller.enqueue(chunk);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
