import type { BasicDecoding, UnknownClientStyle } from './auth-server-options.js';
import type { Clock } from './clock.js';
import type { FaultQueue } from './faults.js';
import type { TokenRequestLogEntry } from './request-log.js';
import type { SigningKey } from './signing-key.js';

/** A registered client, with the settings tests may change. */
export interface RegisteredClient {
  secret: string;
  lifetimeSeconds: number;
  readonly scopes: readonly string[];
}

/** Everything the fake authorization server's routes read and update. */
export interface AuthServerState {
  readonly realms: ReadonlyMap<string, ReadonlyMap<string, RegisteredClient>>;
  readonly key: SigningKey;
  readonly clock: Clock;
  readonly baseUrl: string | undefined;
  readonly faults: FaultQueue;
  readonly log: { -readonly [K in keyof TokenRequestLogEntry]: TokenRequestLogEntry[K] }[];
  unknownClientStyle: UnknownClientStyle;
  basicDecoding: BasicDecoding;
  issuedTokens: number;
}
