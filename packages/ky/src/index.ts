export { type AuthHooks, type AuthHooksOptions, authHooks } from './auth-hooks.js';
