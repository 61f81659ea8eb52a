import type { Settings } from './options.js';
import type { TokenEvent } from './types.js';

/** Tells a source's `onEvent` observer; an observer that throws loses the event, never fails a caller. */
export function emit(settings: Settings, event: TokenEvent): void {
  try {
    settings.onEvent?.(event);
  } catch {
    // An observer's failure is not the caller's.
  }
}
