export { type AuthServer, createAuthServer } from './auth-server.js';
export type {
  AuthServerOptions,
  BasicDecoding,
  ClientConfig,
  RealmConfig,
  UnknownClientStyle,
} from './auth-server-options.js';
export type { TokenAuthority } from './bearer-check.js';
export type { ClientAuthMethod } from './client-authentication.js';
export { type Clock, createManualClock, type ManualClock } from './clock.js';
export { ConnectionDroppedError, isConnectionDropped } from './connection-dropped.js';
export type { EchoResponse } from './echo-route.js';
export type { FailureResponse, Fault, FaultInjector, MalformedKind, OversizedResponse } from './faults.js';
export { type KeycloakPathOptions, realmIssuer, realmTokenUrl } from './keycloak-urls.js';
export type { TokenRequestLogEntry } from './request-log.js';
export {
  createResourceServer,
  type ResourceRequestLogEntry,
  type ResourceServer,
  type ResourceServerOptions,
} from './resource-server.js';
export type { ResourceServerEnv } from './resource-server-env.js';
export type { SigningKey } from './signing-key.js';
