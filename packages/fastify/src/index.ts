export { sourcePerTenant } from '@grantkit/core';
export type { AuthClient } from '@grantkit/fetch';
export { type GrantkitOptions, grantkit } from './plugin.js';
export { type ErrorHandler, tokenErrorHandler } from './problem.js';
export { type AuthProxyOptions, authProxy } from './proxy.js';
