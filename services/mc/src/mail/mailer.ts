/** One mail the MC sends (verification, password reset, one-time password, notices). */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  /** Plain text body. */
  readonly text: string;
}

/** Sends the MC's mails; failures reject (callers decide whether a failed mail fails the request). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
