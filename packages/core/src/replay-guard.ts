import { isTokenRejected, type OutboundPolicy } from './outbound.js';
import type { TokenSource } from './types.js';

/**
 * How many URLs a source remembers as refusing even a fresh token. The memory of a source is this many
 * short strings and one token at most, whatever the traffic.
 */
const REMEMBERED_URLS = 32;

/** What a source has learnt about 401s that are not about its token. */
interface Memory {
  /** Origin + path of URLs where a fresh token, just after a forced refresh, was refused too. */
  readonly refusing: string[];
  /** The last fresh token that was refused: the URL refused it, not the other way round. */
  proven: string | undefined;
}

/** Per source, shared by every adapter in the process (a fetch, ky hooks and a proxy on one source). */
const memories = new WeakMap<TokenSource, Memory>();

const urlKey = (url: string): string => {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
};

/** The URL that answered: after redirects, `response.url`; for a `Response` made in process, the request's. */
const answeredBy = (response: Response, url: string | URL): string => response.url || String(url);

/**
 * The 401 rule every adapter shares, built by {@link replayGuard}. Call {@link ReplayGuard.shouldReplay}
 * with the answer to a request that carried the token; when it says yes, send the request once more with
 * a new token (`source.getToken()`) and hand that answer to {@link ReplayGuard.replayed}.
 *
 * @example
 * ```ts
 * const response = await send(token);
 * if (!guard.shouldReplay(response, url, token.accessToken, true)) return response;
 * const fresh = await source.getToken();
 * const replay = await send(fresh);
 * guard.replayed(replay, url, fresh.accessToken);
 * return replay;
 * ```
 */
export interface ReplayGuard {
  /**
   * Whether the request sent to `url` with `token` should be sent again with a new token; when it should,
   * `token` has been invalidated (compare-and-invalidate, so many callers cause one token request). Yes only
   * when all of these hold: the API rejected the token (`isTokenRejected`); the URL that answered (after
   * redirects) is one the origin policy sends the token to; the request can be sent again (`replayable`:
   * an adapter invalidates only a token it will replay with); and the URL is not one where a fresh token
   * was refused too. Cheap for any answer but a 401: a status check.
   */
  shouldReplay(response: Response, url: string | URL, token: string, replayable: boolean): boolean;
  /**
   * Records the answer to the replay. A fresh token refused too shows that this URL's 401 is not about the
   * token: the URL is remembered (up to 32 per source), and its later 401s are returned without a forced
   * refresh. The replay's token is never invalidated.
   */
  replayed(response: Response, url: string | URL, token: string): void;
}

/**
 * The one 401 rule of Grantkit, for an adapter sending `source`'s token where `policy` allows:
 *
 * - a 401 from a URL the policy does not match (a redirect elsewhere) never invalidates the token;
 * - a token is invalidated only when the adapter replays the request with a new one;
 * - a URL that answers 401 whatever the token costs one forced refresh, however many calls hit it (or
 *   run at once): the fresh token's replay got a 401 too, so the source remembers the URL;
 * - a revoked token is replaced on its first 401 anywhere else, however soon after the previous one.
 *
 * What a source remembers is bounded: 32 URLs and one token. Once 32 URLs are known, a 401 from a new
 * URL still replaces a token, except the last one a refusing URL has proven good — so no sequence of
 * URLs makes more than one forced refresh per token the source acquires on its own.
 *
 * @example
 * ```ts
 * const guard = replayGuard(source, outboundPolicy(['https://api.acme.com']));
 * ```
 */
export function replayGuard(source: TokenSource, policy: OutboundPolicy): ReplayGuard {
  return {
    shouldReplay(response, url, token, replayable) {
      if (response.status !== 401 || !replayable || !isTokenRejected(response)) return false;
      const where = answeredBy(response, url);
      if (!policy.matches(where)) return false;
      const memory = memories.get(source);
      if (memory) {
        if (memory.refusing.includes(urlKey(where))) return false;
        if (memory.refusing.length >= REMEMBERED_URLS && memory.proven === token) return false;
      }
      source.invalidate(token);
      return true;
    },
    replayed(response, url, token) {
      if (response.status !== 401 || !isTokenRejected(response)) return;
      const where = answeredBy(response, url);
      if (!policy.matches(where)) return;
      let memory = memories.get(source);
      if (!memory) {
        memory = { refusing: [], proven: undefined };
        memories.set(source, memory);
      }
      memory.proven = token;
      const key = urlKey(where);
      if (memory.refusing.length < REMEMBERED_URLS && !memory.refusing.includes(key))
        memory.refusing.push(key);
    },
  };
}
