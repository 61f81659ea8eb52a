export type { BasicEncoding } from './basic-auth.js';
export { type BodyChunks, bufferBody } from './buffer-body.js';
export { cacheKey } from './cache-key.js';
export type { ClientSecret } from './client-secret.js';
export {
  GrantkitError,
  type GrantkitErrorCode,
  type GrantkitErrorOptions,
  isGrantkitError,
  OAuthError,
} from './errors.js';
export { MemoryTokenStore } from './memory-store.js';
export type { ClientCredentialsOptions } from './options.js';
export {
  bearer,
  hasAuthorization,
  isReplayableBody,
  isTokenRejected,
  type Origins,
  type OutboundPolicy,
  outboundPolicy,
  withBearer,
} from './outbound.js';
export { type SourcePerTenantOptions, sourcePerTenant } from './per-tenant.js';
export {
  followRedirects,
  followRequest,
  isRedirect,
  type RedirectHop,
  type SentRequest,
} from './redirects.js';
export { type ReplayGuard, replayGuard } from './replay-guard.js';
export {
  type ClientCredentialsGetTokenOptions,
  type ClientCredentialsSource,
  clientCredentials,
} from './source.js';
export { type PerRequest, resolveSource, type SourceOption } from './source-option.js';
export type {
  AccessToken,
  Clock,
  GetTokenOptions,
  StoredToken,
  TokenEvent,
  TokenEventListener,
  TokenLock,
  TokenSource,
  TokenState,
  TokenStatus,
  TokenStore,
  WaitUntil,
} from './types.js';
export { type VerintCoachingOptions, verintCoaching, verintTokenUrl } from './verint.js';
