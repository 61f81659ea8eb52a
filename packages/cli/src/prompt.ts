/** The person pressed Ctrl-C (or Ctrl-D on an empty line) at the hidden prompt. */
export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

/**
 * Asks for a value on a terminal without echoing it: the terminal is put in raw mode *before* the question
 * is written, so nothing typed after the question can be echoed. Editing: Backspace, Ctrl-U; Enter ends it.
 */
export function promptHidden(
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
  question: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (outcome: () => void): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish(() => resolve(typed.join('')));
          return;
        }
        if (char === '\u0003' || (char === '\u0004' && typed.length === 0)) {
          finish(() => reject(new PromptCancelled('cancelled at the prompt')));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char === '\u0015') typed = [];
        else if (char === '\u001b')
          return; // an escape sequence (arrow keys): drop the rest of it
        else if (char >= ' ') typed.push(char);
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
    output.write(question);
  });
}
