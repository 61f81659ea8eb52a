import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import { isConnectionDropped } from './connection-dropped.js';

/**
 * A running loopback server.
 *
 * @example
 * ```ts
 * const { url, close } = await listen(auth.app);
 * ```
 */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every open connection (including hanging requests). */
  close(): Promise<void>;
}

/**
 * Anything with a web-standard `fetch` handler, such as a Hono app.
 *
 * @example
 * ```ts
 * await listen(new Hono().get('/', (c) => c.text('ok')));
 * ```
 */
export interface FetchHandler {
  /** Answers one request, as Hono's `app.fetch` does. */
  fetch(request: Request, env: HttpBindings | Http2Bindings): Response | Promise<Response>;
}

/**
 * Options of {@link listen}.
 *
 * @example
 * ```ts
 * await listen(auth.app, { port: 8080 });
 * ```
 */
export interface ListenOptions {
  /** Port on 127.0.0.1; default `0`, a free one. */
  readonly port?: number;
}

/** Marks a request that must get no response: dropped on purpose, or abandoned by its client. */
class NoResponse extends Error {}

/**
 * Serves `app` on 127.0.0.1 (a free port by default) with `@hono/node-server`. A `drop` fault of the fake
 * authorization server destroys the socket, so the client's `fetch` rejects with `TypeError: fetch failed`;
 * a request its client abandoned gets no response.
 *
 * @example
 * ```ts
 * import { listen } from '@grantkit/testing/node';
 * const server = await listen(auth.app);
 * const tokenUrl = auth.tokenUrl(server.url, 'demo');
 * await server.close();
 * ```
 */
export function listen(app: FetchHandler, options: ListenOptions = {}): Promise<RunningServer> {
  const listener = getRequestListener(
    async (request, env) => {
      try {
        return await app.fetch(request, env);
      } catch (error) {
        if (isConnectionDropped(error)) {
          env.incoming.socket.destroy();
          throw new NoResponse('dropped');
        }
        if (request.signal.aborted) throw new NoResponse('abandoned');
        throw error;
      }
    },
    {
      errorHandler: (error) =>
        error instanceof NoResponse ? undefined : new Response(String(error), { status: 500 }),
    },
  );
  return listenNode(listener, options);
}

/**
 * Serves a Node request listener — an Express app, say — on 127.0.0.1 (a free port by default), with the
 * same `close()` as {@link listen}: it also ends open and hanging connections.
 *
 * @example
 * ```ts
 * import { listenNode } from '@grantkit/testing/node';
 * const server = await listenNode(expressApp);
 * await fetch(`${server.url}/health`);
 * await server.close();
 * ```
 */
export function listenNode(listener: RequestListener, options: ListenOptions = {}): Promise<RunningServer> {
  const server = createServer(listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
