/**
 * A failure that retrying cannot fix (bad input, a refused request): the reconciler logs
 * it and does not retry. The key is reconciled again only when it is enqueued again.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}
