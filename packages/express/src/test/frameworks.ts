import { listenNode, type RunningServer } from '@grantkit/testing/node';
import express from 'express';

/** Express 5 and Express 4 (the `express4` alias), to run one suite against both. */
export const frameworks: readonly (readonly [string, () => Promise<typeof express>])[] = [
  ['express 5', async () => express],
  ['express 4', async () => ((await import('express4' as string)) as { default: typeof express }).default],
];

/** Serves an Express app on a free 127.0.0.1 port. */
export const serve = (app: express.Express): Promise<RunningServer> => listenNode(app);
