export { type AuthInterceptorOptions, authInterceptor } from './auth-interceptor.js';
