import { createHmac, randomBytes } from 'node:crypto';

/** Periods (seconds) a login code may have been made with: an authenticator app's 30 s, then the mailed code's 2 min. */
export const OTP_APP_PERIOD_SEC = 30;
export const OTP_EMAIL_PERIOD_SEC = 120;
/** How the mail words the mailed code's validity. */
export const OTP_EMAIL_VALID_TEXT = '2 minutes';
const DIGITS = 6;
const SECRET_BYTES = 20;
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (RFC 4648, no padding), the shared-secret text authenticator apps take. */
export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive, padding and spaces ignored); undefined when invalid. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const v = B32.indexOf(c);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh shared secret (20 random bytes, base32), as pquerna/otp generates. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** RFC 6238 TOTP with HMAC-SHA1 and 6 digits for time `nowMs` and `periodSec`. */
export function totpCode(secret: string, nowMs: number, periodSec: number): string {
  const key = base32Decode(secret) ?? Buffer.alloc(0);
  const counter = Math.floor(nowMs / 1000 / periodSec);
  return hotp(key, counter);
}

function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1]! & 0xf;
  const bin = (mac.readUInt32BE(off) & 0x7fffffff) % 10 ** DIGITS;
  return String(bin).padStart(DIGITS, '0');
}

/** Whether `code` is valid at `nowMs` for `periodSec`, allowing one period of skew either way (the original's Skew 1). */
export function totpValid(code: string, secret: string, nowMs: number, periodSec: number): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const key = base32Decode(secret);
  if (!key || key.length === 0) return false;
  const counter = Math.floor(nowMs / 1000 / periodSec);
  return [counter - 1, counter, counter + 1].some((c) => c >= 0 && hotp(key, c) === code);
}

/** The login check of the original: the app's 30 s codes first, then the mailed 2 min ones. */
export function loginTotpValid(code: string, secret: string, nowMs: number): boolean {
  return (
    totpValid(code, secret, nowMs, OTP_APP_PERIOD_SEC) || totpValid(code, secret, nowMs, OTP_EMAIL_PERIOD_SEC)
  );
}

/** The `otpauth://` URL an authenticator app scans (issuer MobiledgeX, 2 min period as the original). */
export function otpauthUrl(secret: string, account: string): string {
  const label = encodeURIComponent(`MobiledgeX:${account}`);
  return `otpauth://totp/${label}?algorithm=SHA1&digits=${DIGITS}&issuer=MobiledgeX&period=${OTP_EMAIL_PERIOD_SEC}&secret=${secret}`;
}
