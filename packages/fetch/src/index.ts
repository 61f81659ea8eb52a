export { type AuthFetchOptions, authFetch, type Fetch } from './auth-fetch.js';
