import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const EPOCH_SEC = 1_400_000_000;

/** A KSUID: 4 bytes of seconds since 2014-05-13 and 16 random bytes, as 27 base62 characters. */
export function ksuid(nowMs: number = Date.now(), random: (n: number) => Buffer = randomBytes): string {
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(Math.max(0, Math.floor(nowMs / 1000) - EPOCH_SEC) >>> 0, 0);
  random(16).copy(buf, 4);
  let n = BigInt(`0x${buf.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}
