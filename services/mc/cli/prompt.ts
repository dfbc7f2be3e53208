/** Asks a question on the terminal without echoing the answer (passwords). */
export type PromptFn = (question: string) => Promise<string>;

/** A terminal prompt reading one hidden line from a TTY stdin; rejects if stdin is not a terminal. */
export function ttyPrompt(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): PromptFn {
  return (question) =>
    new Promise((resolve, reject) => {
      if (!input.isTTY) {
        reject(new Error('inappropriate ioctl for device'));
        return;
      }
      output.write(question);
      input.setRawMode(true);
      input.resume();
      let answer = '';
      const done = (err?: Error): void => {
        input.setRawMode(false);
        input.pause();
        input.off('data', onData);
        output.write('\n');
        if (err) reject(err);
        else resolve(answer);
      };
      const onData = (buf: Buffer): void => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003') return done(new Error('interrupted'));
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      input.on('data', onData);
    });
}
