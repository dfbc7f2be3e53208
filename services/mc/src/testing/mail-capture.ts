import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitFor } from '@edge/testing';

/** One mail as received by the capture server. */
export interface CapturedMail {
  readonly to: string[];
  readonly subject: string;
  /** Decoded plain text body. */
  readonly text: string;
}

/** A local SMTP server (smtp-server) that keeps every mail, so tests exercise the real SMTP transport. */
export interface MailCapture {
  /** `host:port` for the MC's `smtpAddr`. */
  readonly addr: string;
  readonly mails: CapturedMail[];
  /** Waits for a mail to `to` matching `pred`, and returns the newest one. */
  waitFor(to: string, pred?: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits a raw single-part message into its subject and decoded text. */
export function parseRawMail(raw: string): { subject: string; text: string } {
  const sep = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, sep).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  const header = (name: string): string =>
    new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const enc = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    enc === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : enc === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

/** Starts the capture server on a free loopback port. */
export async function startMailCapture(): Promise<MailCapture> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { subject, text } = parseRawMail(Buffer.concat(chunks).toString('utf8'));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    addr: `127.0.0.1:${port}`,
    mails,
    async waitFor(to, pred = () => true, timeoutMs = 5000) {
      const match = (): CapturedMail | undefined =>
        [...mails].reverse().find((m) => m.to.includes(to) && pred(m));
      await waitFor(() => match() !== undefined, timeoutMs, `mail to ${to}`);
      return match()!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
