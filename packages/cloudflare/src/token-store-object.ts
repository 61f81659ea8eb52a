import type { StoreAnswer, StoreRequest } from './protocol.js';

/** What the object keeps: the sealed token and the lock, each with the time it lapses (epoch ms). */
interface Entry {
  readonly value: string;
  readonly until: number;
}

/**
 * The parts of `DurableObjectState` the object uses: workerd passes the real one to the constructor.
 *
 * @example
 * ```ts
 * // In a test outside workerd, any object of this shape will do:
 * const object = new TokenStoreObject(state satisfies TokenStoreObjectState);
 * ```
 */
export interface TokenStoreObjectState {
  /** The object's durable storage. */
  readonly storage: {
    /** Reads a stored value. */
    get<T>(key: string): Promise<T | undefined>;
    /** Writes a value. */
    put<T>(key: string, value: T): Promise<void>;
    /** Removes a value. */
    delete(key: string): Promise<boolean>;
    /** Schedules the object's alarm (it clears lapsed entries). */
    setAlarm(scheduledTime: number): Promise<void>;
  };
  /** Runs `callback` before any request reaches the object (loading its state). */
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

const TOKEN = 'token';
const LOCK = 'lock';

/**
 * The Durable Object behind {@link durableObjectStore}: one object per cache key (`idFromName`) holds that
 * key's sealed token and grants its lock, so every isolate of every Worker bound to the namespace shares
 * one token request per token lifetime. It never sees a token in clear: the isolates encrypt before they
 * write. A lock is a lease: once its ttl has passed it is free again (a holder that died cannot block the
 * others for longer), and an alarm clears what has lapsed from storage. Export it from your Worker and
 * bind it in `wrangler.toml`.
 *
 * @example
 * ```ts
 * // src/index.ts of your Worker
 * export { TokenStoreObject } from '@grantkit/cloudflare';
 * // wrangler.toml:
 * //   [[durable_objects.bindings]]
 * //   name = "GRANTKIT_TOKENS"
 * //   class_name = "TokenStoreObject"
 * //   [[migrations]]
 * //   tag = "v1"
 * //   new_sqlite_classes = ["TokenStoreObject"]
 * ```
 */
export class TokenStoreObject {
  readonly #state: TokenStoreObjectState;
  #token: Entry | undefined;
  #lock: Entry | undefined;

  constructor(state: TokenStoreObjectState, _env?: unknown) {
    this.#state = state;
    void state.blockConcurrencyWhile(async () => {
      this.#token = await state.storage.get<Entry>(TOKEN);
      this.#lock = await state.storage.get<Entry>(LOCK);
    });
  }

  /** Answers one {@link StoreRequest}. */
  async fetch(request: Request): Promise<Response> {
    let message: StoreRequest;
    try {
      message = (await request.json()) as StoreRequest;
    } catch {
      return new Response(null, { status: 400 });
    }
    const answer = await this.#answer(message, Date.now());
    return answer === undefined ? new Response(null, { status: 400 }) : Response.json(answer);
  }

  /** Clears the token and the lock once they have lapsed. */
  async alarm(): Promise<void> {
    const now = Date.now();
    if (this.#token && this.#token.until <= now) await this.#write(TOKEN, undefined);
    if (this.#lock && this.#lock.until <= now) await this.#write(LOCK, undefined);
    await this.#schedule();
  }

  async #answer(message: StoreRequest, now: number): Promise<StoreAnswer | undefined> {
    const live = (entry: Entry | undefined): Entry | undefined =>
      entry && entry.until > now ? entry : undefined;
    switch (message?.op) {
      case 'get':
        return { value: live(this.#token)?.value ?? null };
      case 'set':
        if (typeof message.value !== 'string' || !(message.ttlMs > 0)) return undefined;
        await this.#write(TOKEN, { value: message.value, until: now + message.ttlMs });
        return {};
      case 'delete':
        if (message.value === undefined || this.#token?.value === message.value)
          await this.#write(TOKEN, undefined);
        return {};
      case 'lock': {
        if (!(message.ttlMs > 0)) return undefined;
        if (live(this.#lock)) return { fence: null };
        const fence = crypto.randomUUID();
        await this.#write(LOCK, { value: fence, until: now + message.ttlMs });
        return { fence };
      }
      case 'release':
        if (this.#lock?.value === message.fence) await this.#write(LOCK, undefined);
        return {};
      default:
        return undefined;
    }
  }

  /** Memory first (so the next request sees it at once), then storage; the alarm follows the nearest lapse. */
  async #write(key: typeof TOKEN | typeof LOCK, entry: Entry | undefined): Promise<void> {
    if (key === TOKEN) this.#token = entry;
    else this.#lock = entry;
    if (entry) await this.#state.storage.put(key, entry);
    else await this.#state.storage.delete(key);
    await this.#schedule();
  }

  async #schedule(): Promise<void> {
    const next = Math.min(this.#token?.until ?? Infinity, this.#lock?.until ?? Infinity);
    if (Number.isFinite(next)) await this.#state.storage.setAlarm(next);
  }
}
