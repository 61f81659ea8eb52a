import type { Dispatcher } from 'undici';

/**
 * The controller the caller's handler holds for the whole exchange — the wait for a token, the first
 * attempt and the replay. Abort, pause and resume reach whichever of them is current.
 */
export class RequestController implements Dispatcher.DispatchController {
  #aborted = false;
  #paused = false;
  #reason: Error | null = null;
  #current: Dispatcher.DispatchController | undefined;
  /** Aborts the wait for a token. */
  readonly waiting = new AbortController();

  get aborted(): boolean {
    return this.#aborted;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get reason(): Error | null {
    return this.#reason;
  }

  /** The controller of the attempt now on the wire. */
  attach(current: Dispatcher.DispatchController): void {
    this.#current = current;
    if (this.#aborted) current.abort(this.#reason ?? new Error('aborted'));
    else if (this.#paused) current.pause();
  }

  abort(reason: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.waiting.abort(reason);
    this.#current?.abort(reason);
  }
  pause(): void {
    this.#paused = true;
    this.#current?.pause();
  }
  resume(): void {
    this.#paused = false;
    this.#current?.resume();
  }
}
