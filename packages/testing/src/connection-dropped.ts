const code = 'GRANTKIT_CONNECTION_DROPPED';

/**
 * Thrown by the fake authorization server's app for a `drop` fault. It looks like what `fetch` throws when
 * the server closes the connection without answering (`TypeError: fetch failed`), so an in-process
 * `app.request()` rejects the way a real `fetch` would. {@link listen} turns it into a destroyed socket.
 *
 * @example
 * ```ts
 * auth.faults.drop(1);
 * await auth.app.request('/realms/demo/protocol/openid-connect/token', init).catch((e) => isConnectionDropped(e)); // true
 * ```
 */
export class ConnectionDroppedError extends TypeError {
  /** Stable code, usable without `instanceof`. */
  readonly code = code;

  constructor() {
    super('fetch failed', { cause: new Error('other side closed (fault injected by @grantkit/testing)') });
    this.name = 'TypeError';
  }
}

/**
 * Whether `error` is a {@link ConnectionDroppedError}, across realms and bundles.
 *
 * @example
 * ```ts
 * try { await auth.fetch(request); } catch (error) { if (isConnectionDropped(error)) socket.destroy(); }
 * ```
 */
export function isConnectionDropped(error: unknown): error is ConnectionDroppedError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
