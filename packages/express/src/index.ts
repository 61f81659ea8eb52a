export { type PerRequest, sourcePerTenant } from '@grantkit/core';
export { type TokenProblem, tokenProblem } from '@grantkit/fetch';
export { withGrantkit } from './handler.js';
export {
  type GrantkitClient,
  type GrantkitOptions,
  type GrantkitRequest,
  grantkit,
  type SourceOption,
} from './middleware.js';
export { type TokenErrorHook, tokenErrorHandler } from './problem.js';
export { type AuthProxyOptions, authProxy } from './proxy.js';
