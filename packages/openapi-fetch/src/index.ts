export { type AuthMiddlewareOptions, authMiddleware } from './auth-middleware.js';
