import {
  checkPasswordLength,
  checkPasswordStrength,
  crackTimeSec,
  newPasshash,
  passwordMatches,
  secDisplayTime,
} from './passwords';
import { estimateGuesses } from './strength';

describe('passwords', () => {
  it('hashes with PBKDF2-SHA256, 10000 iterations, 8-byte salt, 32-byte key', async () => {
    const h = await newPasshash('some password');
    expect(h.iter).toBe(10000);
    expect(Buffer.from(h.salt, 'base64')).toHaveLength(8);
    expect(Buffer.from(h.passhash, 'base64')).toHaveLength(32);
    expect(await passwordMatches('some password', h)).toBe(true);
    expect(await passwordMatches('some passwore', h)).toBe(false);
  });

  it('matches a hash made by the original (Go pbkdf2.Key, same parameters)', async () => {
    // pbkdf2.Key([]byte("password"), []byte("saltsalt"), 10000, 32, sha256.New)
    const { pbkdf2Sync } = await import('node:crypto');
    const passhash = pbkdf2Sync('password', 'saltsalt', 10000, 32, 'sha256').toString('base64');
    expect(
      await passwordMatches('password', {
        passhash,
        salt: Buffer.from('saltsalt').toString('base64'),
        iter: 10000,
      }),
    ).toBe(true);
  });

  it('enforces the length rules with the original texts', () => {
    expect(() => checkPasswordLength('short')).toThrow(
      'Invalid password, password must be at least 8 characters',
    );
    expect(() => checkPasswordLength('x'.repeat(4096))).toThrow('password must be less than 4096 characters');
    expect(() => checkPasswordLength('ünïcödé')).toThrow('at least 8'); // 7 runes
    expect(() => checkPasswordLength('12345678')).not.toThrow();
  });

  it('formats crack times as the original', () => {
    expect(secDisplayTime(0.5)).toBe('less than a second');
    expect(secDisplayTime(30)).toBe('31.0 seconds');
    expect(secDisplayTime(30 * 86400)).toBe('31.0 days');
    expect(secDisplayTime(2 * 365 * 86400)).toBe('2.0 years');
    expect(secDisplayTime(1e12)).toBe('centuries');
  });

  it('rates common patterns weak and long mixed passwords strong', () => {
    for (const weak of [
      'password',
      'password123',
      'P@ssw0rd2024',
      'qwertyuiop',
      'aaaaaaaaaaaa',
      'abcdefgh12345678',
    ])
      expect(crackTimeSec(weak)).toBeLessThan(30 * 86400);
    for (const strong of [
      'Edge-Cloud-Test-Admin-Pw-2026!',
      'correct horse battery staple',
      'xK9#mQ2zLp4$wR7!',
    ])
      expect(crackTimeSec(strong)).toBeGreaterThan(2 * 365 * 86400);
    expect(estimateGuesses('Xk9#mQ2z') / 1e8).toBeCloseTo(1, 5); // 8 random characters: brute force, 10 per character
  });

  it('stays fast on degenerate long input', () => {
    const t0 = performance.now();
    estimateGuesses('a'.repeat(4000));
    estimateGuesses('ab'.repeat(2000));
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refuses weak passwords with the exact message', () => {
    expect(() => checkPasswordStrength(crackTimeSec('password123'), 2592000)).toThrow(
      'Password too weak, requires crack time 31.0 days but is less than a second. Please increase length or complexity',
    );
  });
});
