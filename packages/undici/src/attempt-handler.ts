import type { Dispatcher } from 'undici';
import type { RequestController } from './request-controller.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The handler of one attempt on the wire. It passes everything to the caller's handler under the caller's
 * one {@link RequestController}, except a response that `rejected` answers `true` for (a 401 to replay):
 * that one is read to its end, so the connection stays usable, and then `replay` runs instead.
 */
export class AttemptHandler implements Dispatcher.DispatchHandler {
  #replaying = false;

  constructor(
    private readonly caller: Dispatcher.DispatchHandler,
    private readonly controller: RequestController,
    private readonly rejected: (statusCode: number, headers: Headers) => boolean,
    private readonly replay: () => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller.attach(controller);
  }

  onRequestUpgrade(
    _: Dispatcher.DispatchController,
    ...rest: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>> extends [
      unknown,
      ...infer R,
    ]
      ? R
      : never
  ): void {
    this.caller.onRequestUpgrade?.(this.controller, ...rest);
  }

  onResponseStart(
    _: Dispatcher.DispatchController,
    statusCode: number,
    headers: Headers,
    message?: string,
  ): void {
    if (this.rejected(statusCode, headers)) {
      this.#replaying = true;
      return;
    }
    this.caller.onResponseStart?.(this.controller, statusCode, headers as never, message);
  }

  onResponseData(_: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#replaying) this.caller.onResponseData?.(this.controller, chunk);
  }

  onResponseEnd(_: Dispatcher.DispatchController, trailers: Headers): void {
    if (this.#replaying) this.replay();
    else this.caller.onResponseEnd?.(this.controller, trailers as never);
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    this.caller.onResponseError?.(this.controller, error);
  }
}
