/** Everything the demo started, closed in reverse order exactly once, whatever stops it. */
export class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];
  private closing: Promise<void> | undefined;

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const close of this.closers.reverse()) {
        try {
          await close();
        } catch {
          // Keep closing the rest: a server that fails to close must not leave the others running.
        }
      }
    })();
    return this.closing;
  }
}
