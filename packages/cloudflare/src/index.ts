export {
  type DurableObjectStoreOptions,
  type DurableObjectTokenStore,
  durableObjectStore,
} from './durable-object-store.js';
export type { TokenStoreNamespace } from './namespace.js';
export { TokenStoreObject, type TokenStoreObjectState } from './token-store-object.js';
