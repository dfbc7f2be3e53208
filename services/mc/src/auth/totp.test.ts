import { base32Decode, base32Encode, loginTotpValid, newTotpSecret, totpCode, totpValid } from './totp';

// RFC 6238 appendix B, SHA1 seed "12345678901234567890" (6-digit tails of the 8-digit vectors).
const SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP', () => {
  it('base32 round-trips', () => {
    expect(SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(SECRET)?.toString()).toBe('12345678901234567890');
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });

  it('matches the RFC 6238 test vectors', () => {
    expect(totpCode(SECRET, 59_000, 30)).toBe('287082');
    expect(totpCode(SECRET, 1111111109_000, 30)).toBe('081804');
    expect(totpCode(SECRET, 1234567890_000, 30)).toBe('005924');
    expect(totpCode(SECRET, 20000000000_000, 30)).toBe('353130');
  });

  it('accepts one period of skew and mailed 2-minute codes', () => {
    const now = 1_700_000_000_000;
    expect(totpValid(totpCode(SECRET, now - 30_000, 30), SECRET, now, 30)).toBe(true);
    expect(totpValid(totpCode(SECRET, now - 90_000, 30), SECRET, now, 30)).toBe(false);
    expect(loginTotpValid(totpCode(SECRET, now - 100_000, 120), SECRET, now)).toBe(true);
    expect(loginTotpValid('12345', SECRET, now)).toBe(false);
  });
});
