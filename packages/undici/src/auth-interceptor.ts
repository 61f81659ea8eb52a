import {
  type AccessToken,
  bearer,
  type ClientCredentialsGetTokenOptions,
  type Origins,
  outboundPolicy,
  replayGuard,
  type TokenSource,
  type WaitUntil,
} from '@grantkit/core';
import type { Dispatcher } from 'undici';
import { AttemptHandler } from './attempt-handler.js';
import { hasAuthorizationHeader, responseHeaders, withAuthorization } from './dispatch-headers.js';
import { asInternal, isInternal } from './internal-requests.js';
import { replayableBody } from './replayable-body.js';
import { RequestController } from './request-controller.js';

/**
 * Options of {@link authInterceptor}.
 *
 * @example
 * ```ts
 * const options: AuthInterceptorOptions = { origins: ['https://api.acme.com'], maxReplayBodyBytes: 65_536 };
 * ```
 */
export interface AuthInterceptorOptions {
  /**
   * Where the token goes: origins (`https://api.acme.com`, exact scheme, host and port), URL prefixes
   * (`https://api.acme.com/coaching/`), or `'*'` to send it to any origin. Other requests pass untouched.
   */
  readonly origins: Origins;
  /**
   * Stream bodies (Node's `fetch` sends every body as one) up to this many bytes are buffered so that a 401
   * can be replayed; a longer one is streamed and its 401 returned. Default 1 MiB.
   */
  readonly maxReplayBodyBytes?: number | undefined;
  /** Handed to `getToken` so that background refresh outlives the request. */
  readonly waitUntil?: WaitUntil | undefined;
}

/**
 * An undici interceptor for `dispatcher.compose(...)`: requests to the configured origins carry
 * `Authorization: Bearer <token>` from `source` (a caller's own `Authorization` is never overwritten). On a
 * rejected token (`401`), the token is invalidated and the request is sent once more with a fresh one and the
 * same body; a second 401 is returned. Composed into the global dispatcher, it covers Node's built-in `fetch`
 * and undici's `fetch`/`request` — and so third-party SDKs that call `fetch`. Grantkit's own token and
 * discovery requests never pass through it. Token errors fail the request with core's `GrantkitError` (Node's
 * `fetch` puts it in the `TypeError`'s `cause`).
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@grantkit/core';
 * import { authInterceptor } from '@grantkit/undici';
 * import { Agent, setGlobalDispatcher } from 'undici';
 *
 * const source = clientCredentials({ tokenUrl, clientId: 'svc', clientSecret: process.env.CLIENT_SECRET! });
 * setGlobalDispatcher(new Agent().compose(authInterceptor(source, { origins: ['https://api.acme.com'] })));
 * const users = await (await fetch('https://api.acme.com/v1/users')).json();
 * ```
 */
export function authInterceptor(
  source: TokenSource,
  options: AuthInterceptorOptions,
): Dispatcher.DispatcherComposeInterceptor {
  const policy = outboundPolicy(options.origins);
  const guard = replayGuard(source, policy);
  const limit = options.maxReplayBodyBytes ?? 1_048_576;
  return (dispatch) => (request, handler) => {
    if (isInternal() || hasAuthorizationHeader(request.headers)) return dispatch(request, handler);
    const url = new URL(request.path, request.origin);
    if (!policy.matches(url)) return dispatch(request, handler);
    const controller = new RequestController();
    handler.onRequestStart?.(controller, {});
    const call: ClientCredentialsGetTokenOptions = {
      signal: controller.waiting.signal,
      waitUntil: options.waitUntil,
    };
    const token = () => asInternal(() => source.getToken(call));

    /** Sends one attempt: the first (`replayable` when its body can go again) or, `undefined`, the replay. */
    const send = (
      body: Dispatcher.DispatchOptions['body'],
      used: AccessToken,
      replayable?: boolean,
    ): void => {
      /** Core's 401 rule, on the first answer or on the replay's. */
      const rejected = (statusCode: number, headers: Record<string, string | string[] | undefined>) => {
        if (statusCode !== 401) return false;
        const answer = new Response(null, { status: statusCode, headers: responseHeaders(headers) });
        if (replayable !== undefined) return guard.shouldReplay(answer, url, used.accessToken, replayable);
        guard.replayed(answer, url, used.accessToken);
        return false;
      };
      const again = () => {
        token()
          .then((fresh) => send(body, fresh))
          .catch(fail);
      };
      const headers = withAuthorization(request.headers, bearer(used));
      // `maxRedirections: 0`, as fetch sends it: a redirect interceptor composed inside this one would
      // resend the token to every same-origin hop itself. Composed outside (after), it sends each hop
      // through here, and the origins decide each one.
      const attempt = { ...request, body: body ?? null, headers, maxRedirections: 0 };
      dispatch(attempt, new AttemptHandler(handler, controller, rejected, again));
    };
    const fail = (error: unknown): void => {
      handler.onResponseError?.(controller, error instanceof Error ? error : new Error(String(error)));
    };

    Promise.all([replayableBody(request.body, limit), token()])
      .then(([{ body, replayable }, first]) => send(body, first, replayable))
      .catch(fail);
    return true;
  };
}
