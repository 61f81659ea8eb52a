/** What the store asks its Durable Object, one JSON POST per operation. */
export type StoreRequest =
  | { readonly op: 'get' }
  | { readonly op: 'set'; readonly value: string; readonly ttlMs: number }
  | { readonly op: 'delete'; readonly value?: string | undefined }
  | { readonly op: 'lock'; readonly ttlMs: number }
  | { readonly op: 'release'; readonly fence: string };

/** What the Durable Object answers: the sealed value for `get`, the fence of a granted lock for `lock`. */
export interface StoreAnswer {
  readonly value?: string | null;
  readonly fence?: string | null;
}

/** The URL the store's requests go to; the Durable Object reads only the body. */
export const STORE_URL = 'https://grantkit-token-store.internal/';
