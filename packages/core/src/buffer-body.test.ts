import { describe, expect, it } from 'vitest';
import { bufferBody } from './buffer-body.js';

const sizes = (...chunks: number[]) => chunks.map((size) => new Uint8Array(size).fill(size));

const webStream = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

async function* iterable(chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  yield* chunks;
}

const bytesOf = async (body: Uint8Array | ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(body as BodyInit).arrayBuffer());

describe.each([
  ['a ReadableStream', webStream],
  ['an async iterable', iterable],
])('bufferBody on %s', (_, make) => {
  it('buffers a body within the limit', async () => {
    const body = await bufferBody(make(sizes(3, 4)), 10);
    expect(body).toBeInstanceOf(Uint8Array);
    expect([...(body as Uint8Array)]).toEqual([3, 3, 3, 4, 4, 4, 4]);
  });

  it('buffers a body of exactly the limit, streams one byte more', async () => {
    expect(await bufferBody(make(sizes(5, 5)), 10)).toBeInstanceOf(Uint8Array);
    expect(await bufferBody(make(sizes(5, 6)), 10)).toBeInstanceOf(ReadableStream);
  });

  it('streams a longer body whole, the chunks already read first', async () => {
    const body = await bufferBody(make(sizes(6, 6, 6)), 10);
    expect(body).toBeInstanceOf(ReadableStream);
    expect([...(await bytesOf(body))]).toEqual([...sizes(6, 6, 6).flatMap((chunk) => [...chunk])]);
  });
});

describe('bufferBody', () => {
  it('encodes string chunks of an async iterable as UTF-8', async () => {
    const body = await bufferBody(iterable(['é', new Uint8Array([33])]), 10);
    expect(new TextDecoder().decode(body as Uint8Array)).toBe('é!');
  });

  it('cancelling the streamed rest ends the async iterable', async () => {
    let finished = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new Uint8Array(4);
      } finally {
        finished = true;
      }
    }
    const body = await bufferBody(endless(), 10);
    await (body as ReadableStream<Uint8Array>).cancel('done');
    expect(finished).toBe(true);
  });
});
