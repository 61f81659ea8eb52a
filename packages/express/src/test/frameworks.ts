import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** Express 5 and Express 4 (the `express4` alias), to run one suite against both. */
export const frameworks: readonly (readonly [string, () => Promise<typeof express>])[] = [
  ['express 5', async () => express],
  ['express 4', async () => ((await import('express4' as string)) as { default: typeof express }).default],
];

/** Serves an Express app on a free 127.0.0.1 port. */
export function serve(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
