export { type AuthClient, authClient } from './auth-client.js';
export { type AuthFetchOptions, authFetch, type Fetch } from './auth-fetch.js';
export {
  type AuthProxy,
  type AuthProxyOptions,
  authProxy,
  type ProxyCall,
} from './auth-proxy.js';
export { type TokenProblem, tokenProblem, tokenProblemResponse } from './problem.js';
