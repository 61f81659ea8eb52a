export { type AuthInterceptorsOptions, authInterceptors } from './auth-interceptors.js';
