export { type PerRequest, type SourceOption, sourcePerTenant } from '@grantkit/core';
export { type TokenProblem, tokenProblem } from '@grantkit/fetch';
export { type GrantkitClient, type GrantkitEnv, type GrantkitOptions, grantkit } from './middleware.js';
export { type AuthProxyOptions, authProxy } from './proxy.js';
