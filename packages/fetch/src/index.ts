export { type AuthClient, authClient } from './auth-client.js';
export { type AuthFetchOptions, authFetch, type Fetch } from './auth-fetch.js';
