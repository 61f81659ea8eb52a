/**
 * The part of a Durable Object namespace binding (`env.GRANTKIT_TOKENS`) that the store uses. Any
 * `DurableObjectNamespace` from `@cloudflare/workers-types` or `wrangler types` fits it, so this package
 * needs neither at run time.
 *
 * @example
 * ```ts
 * interface Env {
 *   GRANTKIT_TOKENS: DurableObjectNamespace; // fits TokenStoreNamespace
 * }
 * ```
 */
export interface TokenStoreNamespace<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): {
    fetch(
      input: string,
      init: { method: 'POST'; body: string },
    ): Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>;
  };
}
