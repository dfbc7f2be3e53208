import type { Logger } from '@edge/log';
import type { McConfig } from '../config';
import { LogMailer } from './log-mailer';
import type { Mailer } from './mailer';
import { SmtpMailer } from './smtp-mailer';

/** The SMTP mailer when `smtpAddr` is set, else the log-only one. */
export function createMailer(config: McConfig, log: Logger): Mailer & { close?: () => void } {
  if (!config.smtpAddr) return new LogMailer(log);
  return new SmtpMailer({
    addr: config.smtpAddr,
    user: config.smtpUser,
    pass: config.smtpPass,
    from: config.smtpFrom,
  });
}
