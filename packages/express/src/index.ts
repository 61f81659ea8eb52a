export { sourcePerTenant, type TokenProblem, tokenProblem } from '@grantkit/core';
export type { GrantkitClient } from './client.js';
export { withGrantkit } from './handler.js';
export { type GrantkitOptions, type GrantkitRequest, grantkit } from './middleware.js';
export { type TokenErrorHook, tokenErrorHandler } from './problem.js';
export { type AuthProxyOptions, authProxy } from './proxy.js';
export type { SourceOption } from './resolve.js';
