// One Worker of the test fleet (each Miniflare worker runs it in an isolate of its own): a source per token
// URL on the shared Durable Object namespace. The test drives it over HTTP.
import { clientCredentials, isGrantkitError, type TokenStore } from '@grantkit/core';
import { durableObjectStore, type TokenStoreNamespace } from '../index.js';

export { TokenStoreObject } from '../index.js';

interface Env {
  readonly GRANTKIT_TOKENS: TokenStoreNamespace;
  /** The fleet's shared token key, base64. */
  readonly TOKEN_KEY: string;
}

interface Tenant {
  readonly source: ReturnType<typeof clientCredentials>;
  readonly store: TokenStore & { lock: NonNullable<TokenStore['lock']> };
  /** The cache key the source used, as the store saw it. */
  key?: string;
}

const tenants = new Map<string, Tenant>();

function tenant(url: URL, env: Env): Tenant {
  const tokenUrl = url.searchParams.get('tokenUrl') ?? '';
  const existing = tenants.get(tokenUrl);
  if (existing) return existing;
  const store = durableObjectStore(env.GRANTKIT_TOKENS, {
    encryptionKey: Uint8Array.from(atob(env.TOKEN_KEY), (char) => char.charCodeAt(0)),
  });
  const seen = <T>(key: string, value: T): T => {
    created.key = key;
    return value;
  };
  const refreshAheadMs = url.searchParams.get('refreshAheadMs');
  const created: Tenant = {
    store,
    source: clientCredentials({
      tokenUrl,
      clientId: 'svc',
      clientSecret: 's3cret',
      allowInsecureRequests: true,
      timeoutMs: Number(url.searchParams.get('timeoutMs') ?? 5_000),
      retry: { attempts: 1 },
      ...(refreshAheadMs === null ? {} : { refreshAheadMs: Number(refreshAheadMs) }),
      store: {
        get: (key) => seen(key, store.get(key)),
        set: (key, token, ttlMs) => seen(key, store.set(key, token, ttlMs)),
        delete: (key, accessToken) => seen(key, store.delete(key, accessToken)),
        lock: (key, ttlMs) => seen(key, store.lock(key, ttlMs)),
      },
    }),
  };
  tenants.set(tokenUrl, created);
  return created;
}

export default {
  async fetch(request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const url = new URL(request.url);
    const { source, store, key } = tenant(url, env);
    if (url.pathname === '/lock-free') {
      // Whether the source's lock is free now: take it and give it back at once.
      const lock = key === undefined ? undefined : await store.lock(key, 60_000);
      await lock?.release();
      return Response.json({ free: lock !== undefined });
    }
    try {
      const token = await source.getToken({ waitUntil: (promise) => ctx.waitUntil(promise) });
      return Response.json({ token: token.accessToken });
    } catch (error) {
      return Response.json({ error: isGrantkitError(error) ? error.code : 'unknown' }, { status: 500 });
    }
  },
};
