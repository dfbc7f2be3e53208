import type { Logger } from '@edge/log';
import type { Mail, Mailer } from './mailer';

/**
 * The mailer when no SMTP relay is configured (dev mode): each mail is logged at info,
 * so a developer can copy a verification token or OTP from the MC's log.
 */
export class LogMailer implements Mailer {
  constructor(private readonly log: Logger) {}

  send(mail: Mail): Promise<void> {
    this.log.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail (no smtpAddr, not sent)');
    return Promise.resolve();
  }
}
