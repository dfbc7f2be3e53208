import nodemailer, { type Transporter } from 'nodemailer';
import type { Mail, Mailer } from './mailer';

/** Where and as whom to relay (the MC's `smtp*` options). */
export interface SmtpOptions {
  /** `host:port` of the relay. */
  readonly addr: string;
  readonly user: string;
  readonly pass: string;
  readonly from: string;
  /** Accept a relay's self-signed certificate for STARTTLS (tests, internal relays). */
  readonly insecureTls?: boolean;
}

/** Sends through an SMTP relay with nodemailer (STARTTLS when the relay offers it; AUTH when a user is set). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly opts: SmtpOptions) {
    const i = opts.addr.lastIndexOf(':');
    const host = i < 0 ? opts.addr : opts.addr.slice(0, i);
    const port = i < 0 ? 587 : Number(opts.addr.slice(i + 1));
    this.transport = nodemailer.createTransport({
      host,
      port,
      secure: port === 465,
      ...(opts.user ? { auth: { user: opts.user, pass: opts.pass } } : {}),
      ...(opts.insecureTls ? { tls: { rejectUnauthorized: false } } : {}),
    });
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({
      from: this.opts.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
    });
  }

  close(): void {
    this.transport.close();
  }
}
