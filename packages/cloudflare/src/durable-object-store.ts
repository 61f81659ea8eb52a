import { GrantkitError, type StoredToken, type TokenLock, type TokenStore } from '@grantkit/core';
import { tokenCipher } from '@grantkit/core/token-cipher';
import type { TokenStoreNamespace } from './namespace.js';
import { STORE_URL, type StoreAnswer, type StoreRequest } from './protocol.js';

/**
 * Options of {@link durableObjectStore}.
 *
 * @example
 * ```ts
 * const options: DurableObjectStoreOptions = {
 *   encryptionKey: Uint8Array.from(atob(env.TOKEN_KEY), (c) => c.charCodeAt(0)),
 * };
 * ```
 */
export interface DurableObjectStoreOptions {
  /**
   * 32 random bytes, the same in every Worker sharing the namespace: keep them in a Worker secret
   * (`openssl rand -base64 32 | wrangler secret put TOKEN_KEY`) and decode them from base64.
   */
  readonly encryptionKey: Uint8Array;
}

/**
 * A {@link TokenStore} on Durable Objects, with the cross-isolate lock.
 *
 * @example
 * ```ts
 * const store: DurableObjectTokenStore = durableObjectStore(env.GRANTKIT_TOKENS, { encryptionKey });
 * ```
 */
export interface DurableObjectTokenStore extends TokenStore {
  lock(key: string, ttlMs: number): Promise<TokenLock | undefined>;
}

/**
 * Shares tokens across every isolate of every Worker bound to one Durable Object namespace of
 * {@link TokenStoreObject}: one object per cache key (`idFromName`) holds the token and grants the lock,
 * so the fleet makes one token request per token lifetime. The isolate's own memory stays the first
 * cache: the object is asked only when the isolate's source would request a token. Tokens are sealed in
 * the isolate (AES-256-GCM through WebCrypto, bound to the cache key) before they reach the object, so
 * its storage never holds one in clear. Throws `GRANTKIT_CONFIGURATION` when the key is not 32 bytes.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { durableObjectStore } from '@grantkit/cloudflare';
 *
 * export { TokenStoreObject } from '@grantkit/cloudflare';
 *
 * let source: ReturnType<typeof clientCredentials> | undefined;
 * export default {
 *   async fetch(request: Request, env: Env, ctx: ExecutionContext) {
 *     source ??= clientCredentials({
 *       tokenUrl: env.TOKEN_URL,
 *       clientId: env.CLIENT_ID,
 *       clientSecret: env.CLIENT_SECRET,
 *       store: durableObjectStore(env.GRANTKIT_TOKENS, {
 *         encryptionKey: Uint8Array.from(atob(env.TOKEN_KEY), (c) => c.charCodeAt(0)),
 *       }),
 *     });
 *     const token = await source.getToken({ waitUntil: (p) => ctx.waitUntil(p) });
 *     return fetch(env.API_URL, { headers: { authorization: `Bearer ${token.accessToken}` } });
 *   },
 * };
 * ```
 */
export function durableObjectStore<Id>(
  namespace: TokenStoreNamespace<Id>,
  options: DurableObjectStoreOptions,
): DurableObjectTokenStore {
  if (typeof namespace?.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw new GrantkitError('GRANTKIT_CONFIGURATION', 'namespace must be a Durable Object namespace binding');
  }
  const cipher = tokenCipher(options?.encryptionKey);

  const ask = async (key: string, message: StoreRequest): Promise<StoreAnswer> => {
    const stub = namespace.get(namespace.idFromName(key));
    const response = await stub.fetch(STORE_URL, { method: 'POST', body: JSON.stringify(message) });
    if (!response.ok) {
      throw new GrantkitError('GRANTKIT_INVALID_RESPONSE', `token store object answered ${response.status}`);
    }
    return (await response.json()) as StoreAnswer;
  };
  const read = async (key: string): Promise<string | undefined> => {
    const { value } = await ask(key, { op: 'get' });
    return typeof value === 'string' ? value : undefined;
  };

  return {
    async get(key) {
      const value = await read(key);
      return value === undefined ? undefined : cipher.open(key, value);
    },

    async set(key: string, token: StoredToken, ttlMs: number) {
      await ask(key, { op: 'set', value: await cipher.seal(key, token), ttlMs: Math.max(1, ttlMs) });
    },

    async delete(key, accessToken) {
      if (accessToken === undefined) {
        await ask(key, { op: 'delete' });
        return;
      }
      // Sealed with a random IV: compare the token here, then delete exactly the value that was read.
      const value = await read(key);
      if (value === undefined) return;
      const stored = await cipher.open(key, value).catch(() => undefined);
      if (stored?.accessToken === accessToken) await ask(key, { op: 'delete', value });
    },

    async lock(key, ttlMs) {
      const { fence } = await ask(key, { op: 'lock', ttlMs: Math.max(1, ttlMs) });
      if (typeof fence !== 'string') return undefined;
      return {
        release: async () => {
          await ask(key, { op: 'release', fence });
        },
      };
    },
  };
}
