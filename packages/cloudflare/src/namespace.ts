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
  /** The id of the object for a name (the store names one object per cache key). */
  idFromName(name: string): Id;
  /** A stub of that object, which the store asks over `fetch`. */
  get(id: Id): {
    /** Sends one store request to the object. */
    fetch(
      input: string,
      init: { method: 'POST'; body: string },
    ): Promise<{
      readonly ok: boolean;
      readonly status: number;
      /** The object's answer. */
      json(): Promise<unknown>;
    }>;
  };
}
