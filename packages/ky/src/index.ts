export { type AuthHooks, type AuthHooksOptions, authHooks, type HookArguments } from './auth-hooks.js';
