import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';

/** How a service's handler gets an authenticated fetch for the protected API. */
export type ServiceFetch = (url: string) => Promise<Response>;

/** A running service: GET /call calls the protected API and relays its JSON. */
export interface Service {
  readonly url: string;
  close(): Promise<void>;
}

/** Hono on @hono/node-server; `setup` may install middleware and must make `c.var.call` or use `call`. */
export function honoService(apiUrl: string, app: Hono): Promise<Service> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}/call`,
        close: () => closeServer(server as Server),
      });
    });
    void apiUrl;
  });
}

/** Express 5 on node:http. */
export function expressService(app: express.Express): Promise<Service> {
  const server = createServer(app);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/call`, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A Hono service whose handler calls the API with `call` (fixed header, or a token source by hand). */
export function plainHono(apiUrl: string, call: ServiceFetch): Promise<Service> {
  const app = new Hono();
  app.get('/call', async (c) => {
    const res = await call(`${apiUrl}/echo`);
    return c.json(await res.json(), res.status as 200);
  });
  return honoService(apiUrl, app);
}

/** The same Express service. */
export function plainExpress(apiUrl: string, call: ServiceFetch): Promise<Service> {
  const app = express();
  app.get('/call', async (_req, res) => {
    const upstream = await call(`${apiUrl}/echo`);
    res.status(upstream.status).json(await upstream.json());
  });
  return expressService(app);
}
