import type { Settings } from './options.js';
import type { TokenEvent, TokenSource } from './types.js';

/** Tells a source's `onEvent` observer; an observer that throws loses the event, never fails a caller. */
export function emit(settings: Settings, event: TokenEvent, source: TokenSource): void {
  try {
    settings.onEvent?.(event, source);
  } catch {
    // An observer's failure is not the caller's.
  }
}
