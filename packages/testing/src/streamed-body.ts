/** Called with the number of body bytes (before any compression) the server has produced so far. */
export type ProducedBytes = (bytes: number) => void;

const CHUNK = 64 * 1024;
const encoder = new TextEncoder();

/**
 * A token response of about `bytes` bytes (its `access_token` is the padding), produced lazily one 64 KiB
 * chunk per read, so a client that stops reading stops the server producing it. With `gzip`, the stream
 * is gzip-compressed: zeros compress about a thousandfold, so a small download expands to `bytes`.
 */
export function oversizedBody(bytes: number, gzip: boolean, produced: ProducedBytes): ReadableStream {
  const head = encoder.encode('{"token_type":"Bearer","expires_in":300,"access_token":"');
  const tail = encoder.encode('"}');
  const padding = new Uint8Array(CHUNK).fill(0x41);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk =
          sent === 0
            ? head
            : sent >= bytes
              ? tail
              : padding.subarray(0, Math.min(CHUNK, Math.max(1, bytes - sent)));
        sent += chunk.byteLength;
        produced(sent);
        controller.enqueue(chunk);
        if (chunk === tail) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return gzip
    ? body.pipeThrough(new CompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>)
    : body;
}

/**
 * `text`, one byte every `intervalMs` of real time; it stops when the client cancels the body or the
 * request's `signal` aborts.
 */
export function tricklingBody(text: string, intervalMs: number, signal: AbortSignal): ReadableStream {
  const bytes = encoder.encode(text);
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        return new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            if (signal.aborted) controller.error(signal.reason);
            else {
              controller.enqueue(bytes.subarray(sent, sent + 1));
              sent += 1;
              if (sent >= bytes.byteLength) controller.close();
            }
            resolve();
          }, intervalMs);
        });
      },
      cancel() {
        clearTimeout(timer);
      },
    },
    { highWaterMark: 0 },
  );
}
