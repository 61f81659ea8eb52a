export { sourcePerTenant, type TokenProblem, tokenProblem } from '@grantkit/core';
export type { GrantkitClient } from './client.js';
export { type GrantkitEnv, type GrantkitOptions, grantkit } from './middleware.js';
export { type AuthProxyOptions, authProxy } from './proxy.js';
export type { SourceOption } from './resolve.js';
