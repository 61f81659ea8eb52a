import type { TokenSource } from './types.js';

/**
 * A {@link TokenSource}, or a function choosing one per request from the framework's request context (per
 * tenant, or from Workers `env` secrets). Wrap a builder in `sourcePerTenant` so that each tenant's source,
 * and its cached token, is built once. Every adapter takes its `source` option in this shape.
 *
 * @example
 * ```ts
 * const fixed: SourceOption<Context> = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const perTenant: SourceOption<Context> = sourcePerTenant((c: Context) => c.req.header('x-tenant') ?? '', build);
 * ```
 */
export type SourceOption<Context> = TokenSource | ((context: Context) => TokenSource);

/**
 * The token source a {@link SourceOption} gives for one request's context.
 *
 * @example
 * ```ts
 * const source = resolveSource(options.source, c);
 * ```
 */
export function resolveSource<Context>(option: SourceOption<Context>, context: Context): TokenSource {
  return typeof option === 'function' ? option(context) : option;
}

/**
 * A value fixed at start-up, or a function of the request context (a Worker's `env`, say) — how adapters
 * take `origins` and a proxy's `target`, so that an app builds its middleware once, at module scope.
 *
 * @example
 * ```ts
 * const origins: PerRequest<Origins, Context> = (c) => [c.env.API_ORIGIN];
 * ```
 */
export type PerRequest<Value, Context> = Value | ((context: Context) => Value);
