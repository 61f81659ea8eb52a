import { Hono } from 'hono';
import { bearerCheck, type TokenAuthority } from './bearer-check.js';
import { echo } from './echo-route.js';
import type { ResourceServerEnv } from './resource-server-env.js';

/**
 * Options of {@link createResourceServer}.
 *
 * @example
 * ```ts
 * createResourceServer({ auth, realm: 'demo', audience: 'coaching', routes: (app) => app.get('/ping', (c) => c.text('pong')) });
 * ```
 *
 * @example
 * ```ts
 * const api = createResourceServer({ auth, realm: 'demo' });
 * expect(api.unauthorized).toBe(0);
 * ```
 */
export interface ResourceServerOptions {
  /** The fake authorization server whose tokens it accepts (its key, clock and revocations). */
  readonly auth: TokenAuthority;
  /** The realm whose tokens it accepts (checked against `iss`), also the `WWW-Authenticate` realm. */
  readonly realm: string;
  /** When set, tokens must carry this `aud`. */
  readonly audience?: string;
  /** Adds routes behind the bearer check; they take precedence over the default `/echo` routes. */
  readonly routes?: (app: Hono<ResourceServerEnv>) => void;
}

/**
 * One request the resource server received.
 *
 * @example
 * ```ts
 * expect(api.requestLog.map((entry) => entry.status)).toEqual([401, 200]);
 * ```
 */
export interface ResourceRequestLogEntry {
  /** When it arrived, by the authorization server's clock (epoch ms). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The status answered, `0` while pending. */
  readonly status: number;
}

/** A fake OAuth 2.0 protected API. See {@link createResourceServer}. */
export interface ResourceServer {
  /** The Hono app; `app.request()` in-process or `listen(app)` from `@grantkit/testing/node`. */
  readonly app: Hono<ResourceServerEnv>;
  /** A `fetch`-compatible function answered by the app in-process (`app.request`). */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Requests received. */
  readonly requests: number;
  /** Requests answered `401`. */
  readonly unauthorized: number;
  /** Every request received, oldest first. */
  readonly requestLog: readonly ResourceRequestLogEntry[];
  /** Clears the counters and the log. */
  reset(): void;
}

/**
 * Creates a fake protected API. Every request needs `Authorization: Bearer <jwt>` issued by `auth` for
 * `realm` (verified with jose against its public key, `exp` checked with its clock, revocations honoured):
 * - no bearer token: `401` with `WWW-Authenticate: Bearer realm="<realm>"`;
 * - expired, revoked, badly signed, other realm or audience: `401` with
 *   `WWW-Authenticate: Bearer realm="<realm>", error="invalid_token", error_description="..."`.
 *
 * `ALL /echo` and `ALL /echo/*` answer an {@link EchoResponse} describing the request.
 *
 * @example
 * ```ts
 * const api = createResourceServer({ auth, realm: 'demo' });
 * const response = await api.app.request('/echo/things?x=1', { headers: { Authorization: `Bearer ${token}` } });
 * (await response.json()).tokenId; // the token's jti
 * ```
 */
export function createResourceServer(options: ResourceServerOptions): ResourceServer {
  const log: { -readonly [K in keyof ResourceRequestLogEntry]: ResourceRequestLogEntry[K] }[] = [];
  const app = new Hono<ResourceServerEnv>();
  app.use(async (c, next) => {
    const entry = { at: options.auth.clock.now(), method: c.req.method, path: c.req.path, status: 0 };
    log.push(entry);
    await next();
    entry.status = c.res.status;
  });
  app.use(bearerCheck(options.auth, options.realm, options.audience));
  options.routes?.(app);
  app.all('/echo', echo);
  app.all('/echo/*', echo);

  return {
    app,
    fetch: async (input, init) => app.request(input, init),
    get requests() {
      return log.length;
    },
    get unauthorized() {
      return log.filter((entry) => entry.status === 401).length;
    },
    requestLog: log,
    reset() {
      log.length = 0;
    },
  };
}
