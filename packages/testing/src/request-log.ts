import type { ClientAuthMethod } from './client-authentication.js';
import type { Fault } from './faults.js';

/**
 * One token endpoint request, as recorded by the fake authorization server.
 *
 * @example
 * ```ts
 * expect(auth.requestLog).toMatchObject([{ clientId: 'svc', auth: 'basic', status: 200 }]);
 * ```
 */
export interface TokenRequestLogEntry {
  /** When it arrived, by the server's clock (epoch ms). */
  readonly at: number;
  /** The request path, e.g. `/auth/realms/demo/protocol/openid-connect/token`. */
  readonly path: string;
  /** The realm named in the path. */
  readonly realm: string;
  /** The client id it presented (checked or not). */
  readonly clientId?: string;
  /** The status answered; `0` while pending, or when no response was sent (`drop`, `hang`, client abort). */
  readonly status: number;
  /** The `grant_type` parameter. */
  readonly grantType?: string;
  /** The `scope` parameter as sent. */
  readonly scope?: string;
  /** How the client authenticated. */
  readonly auth: ClientAuthMethod;
  /** The injected fault that answered it, if any. */
  readonly fault?: Fault['kind'];
  /** For an `oversized` fault: the body bytes (before compression) produced so far, as the client read them. */
  readonly producedBytes?: number;
}
