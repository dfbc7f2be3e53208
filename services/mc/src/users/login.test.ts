import { describeWithServers } from '@edge/testing';
import { totpCode } from '../auth/totp';
import { createVerifiedUser, STRONG_PASSWORD, testClock } from '../testing/accounts-fixtures';
import { startMailCapture, type MailCapture } from '../testing/mail-capture';
import { startTestMc, TEST_ADMIN, type TestMc } from '../testing/test-mc';

describeWithServers('accounts: usercreate, verification, login (real PostgreSQL, SMTP)', () => {
  const clock = testClock();
  let mail: MailCapture;
  let t: TestMc;
  let admin: string;
  beforeAll(async () => {
    mail = await startMailCapture();
    t = await startTestMc({ smtpAddr: mail.addr, consoleUrl: '' }, { now: clock.now });
    admin = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    // several users are created below from one IP; the usercreate limit has its own test
    expect((await t.post('auth/config/update', { DisableRateLimit: true }, admin)).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  it('refuses a weak password with the exact message', async () => {
    const r = await t.post('usercreate', {
      name: 'weak1',
      email: 'weak1@example.com',
      passhash: 'password123',
    });
    expect(r.status).toBe(400);
    expect(r.body['message']).toBe(
      'Password too weak, requires crack time 31.0 days but is less than a second. Please increase length or complexity',
    );
    const short = await t.post('usercreate', {
      name: 'weak2',
      email: 'weak2@example.com',
      passhash: 'short',
    });
    expect(short.body['message']).toBe('Invalid password, password must be at least 8 characters');
  });

  it('creates a user, mails the verification token over SMTP, verifies, logs in', async () => {
    const r = await t.post('usercreate', {
      Name: 'alice',
      Email: 'alice@example.com',
      Passhash: STRONG_PASSWORD,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ Message: 'user created', TOTPSharedKey: '', TOTPQRImage: null });
    const row = await t.db.db.one<{ passhash: string; pass_crack_time_sec: number }>(
      `SELECT passhash, pass_crack_time_sec FROM users WHERE name = 'alice'`,
    );
    expect(row?.passhash).not.toBe(STRONG_PASSWORD);
    expect(row?.pass_crack_time_sec).toBeGreaterThan(2592000);

    const dup = await t.post('usercreate', {
      name: 'ALICE',
      email: 'other@example.com',
      passhash: STRONG_PASSWORD,
    });
    expect(dup.body['message']).toBe('Username with name ALICE (case-insensitive) already exists');
    const dupMail = await t.post('usercreate', {
      name: 'alice2',
      email: 'Alice@Example.com',
      passhash: STRONG_PASSWORD,
    });
    expect(dupMail.body['message']).toBe('Email already in use');

    const login1 = await t.post('login', { username: 'alice', password: STRONG_PASSWORD });
    expect(login1.status).toBe(400);
    expect(login1.body['message']).toBe('Email not verified yet');

    const m = await mail.waitFor('alice@example.com', (x) => x.subject === 'Welcome to MobiledgeX!');
    const token = /token=(\S+)/.exec(m.text)?.[1];
    expect(token).toBeDefined();
    const v = await t.post('verifyemail', { token });
    expect(v.body).toEqual({ message: 'email verified, thank you' });

    const ok = await t.post('login', { username: 'alice@example.com', password: STRONG_PASSWORD });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body)).toEqual(['token']);
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^token=[^;]+; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);

    const me = await t.post('auth/user/current', {}, ok.body['token'] as string);
    expect(me.body).toMatchObject({
      Name: 'alice',
      Email: 'alice@example.com',
      EmailVerified: true,
      FailedLogins: 0,
    });
    expect(Object.keys(me.body)).not.toEqual(expect.arrayContaining(['Passhash']));
    for (const secret of ['Passhash', 'Salt', 'Iter', 'TOTPSharedKey'])
      expect(me.body).not.toHaveProperty(secret);

    const adminLogin = await t.post('login', {
      username: TEST_ADMIN.username,
      password: TEST_ADMIN.password,
    });
    expect(adminLogin.body['admin']).toBe(true);
  });

  it('locks the login after 3 failures, then lets the right password in after the window', async () => {
    await createVerifiedUser(t, 'bob');
    for (let i = 0; i < 3; i++) {
      const r = await t.post('login', { username: 'bob', password: 'wrong-password' });
      expect(r.body['message']).toBe('Invalid username or password');
    }
    const locked = await t.post('login', { username: 'bob', password: STRONG_PASSWORD });
    expect(locked.status).toBe(400);
    expect(locked.body['message']).toBe(
      'Login temporarily disabled due to 3 failed login attempts, please try again in 1m0s',
    );
    clock.advance(61_000);
    const ok = await t.post('login', { username: 'bob', password: STRONG_PASSWORD });
    expect(ok.status).toBe(200);
    const row = await t.db.db.one<{ failed_logins: number }>(
      `SELECT failed_logins FROM users WHERE name = 'bob'`,
    );
    expect(row?.failed_logins).toBe(0);
  });

  it('refuses locked accounts', async () => {
    await createVerifiedUser(t, 'carol');
    const r = await t.post('auth/restricted/user/update', { name: 'carol', locked: true }, admin);
    expect(r.status).toBe(200);
    const l = await t.post('login', { username: 'carol', password: STRONG_PASSWORD });
    expect(l.body['message']).toBe('Account is locked, please contact MobiledgeX support');
  });

  it('runs the TOTP flow: 511 and a mailed code, then the code logs in', async () => {
    await createVerifiedUser(t, 'dave');
    const dave = await t.login('dave', STRONG_PASSWORD);
    const en = await t.post<{ Message: string; TOTPSharedKey: string; TOTPQRImage: string }>(
      'auth/user/update',
      { EnableTOTP: true },
      dave,
    );
    expect(en.status).toBe(200);
    expect(en.body.Message).toMatch(/^User updated\nEnabled two factor authentication/);
    expect(en.body.TOTPSharedKey).toMatch(/^[A-Z2-7]{32}$/);
    expect(Buffer.from(en.body.TOTPQRImage, 'base64').subarray(1, 4).toString()).toBe('PNG');

    const challenge = await t.post('login', { username: 'dave', password: STRONG_PASSWORD });
    expect(challenge.status).toBe(511);
    expect(challenge.body['message']).toBe(
      'Missing OTP\nPlease use two factor authenticator app on your phone to get OTP. We have also sent OTP to your registered email address',
    );
    const m = await mail.waitFor('dave@example.com', (x) => x.subject.startsWith('One Time Password'));
    const code = /login is (\d{6})\./.exec(m.text)?.[1];
    expect(code).toBeDefined();
    const bad = await t.post('login', {
      username: 'dave',
      password: STRONG_PASSWORD,
      totp: '000000' === code ? '111111' : '000000',
    });
    expect(bad.body['message']).toBe('Invalid or expired OTP. Please login again to receive another OTP');
    const ok = await t.post('login', { username: 'dave', password: STRONG_PASSWORD, totp: code });
    expect(ok.status).toBe(200);
    // an authenticator app's 30 s code works too
    const app = totpCode(en.body.TOTPSharedKey, clock.now(), 30);
    expect((await t.post('login', { username: 'dave', password: STRONG_PASSWORD, totp: app })).status).toBe(
      200,
    );
  });

  it('resets a password through the mailed 1-hour token, answering unknown addresses the same', async () => {
    await createVerifiedUser(t, 'erin');
    const unknown = await t.post('passwordresetrequest', { email: 'nobody@example.com' });
    const known = await t.post('passwordresetrequest', { email: 'erin@example.com' });
    expect(known.status).toBe(200);
    expect(unknown).toMatchObject({ status: known.status, body: known.body });
    const none = await mail.waitFor('nobody@example.com');
    expect(none.text).toContain('no user account is associated with this email');
    const m = await mail.waitFor('erin@example.com', (x) => x.subject === 'Password Reset Request');
    const token = /token=(\S+)/.exec(m.text)?.[1] ?? '';
    // a reset token is not a login token
    expect((await t.post('auth/user/current', {}, token)).status).toBe(401);
    const newPw = 'Velvet-Harbor-Compass-91?';
    const r = await t.post('passwordreset', { token, password: newPw });
    expect(r.body).toEqual({ message: 'password updated' });
    await t.login('erin', newPw);
    clock.advance(3601_000);
    const late = await t.post('passwordreset', { token, password: 'Another-Strong-Pass-77#' });
    expect(late).toMatchObject({ status: 401, body: { message: 'Invalid or expired token' } });
  });

  it('changes the password with newpass only given the current one', async () => {
    await createVerifiedUser(t, 'frank');
    const tok = await t.login('frank', STRONG_PASSWORD);
    const bad = await t.post(
      'auth/user/newpass',
      { currentpassword: 'nope-nope', password: 'Amber-Falcon-Ridge-42%' },
      tok,
    );
    expect(bad.body['message']).toBe('Invalid current password');
    const ok = await t.post(
      'auth/user/newpass',
      { currentpassword: STRONG_PASSWORD, password: 'Amber-Falcon-Ridge-42%' },
      tok,
    );
    expect(ok.body).toEqual({ message: 'password updated' });
    await t.login('frank', 'Amber-Falcon-Ridge-42%');
  });

  it('deletes users: self, admins, never the superuser', async () => {
    await createVerifiedUser(t, 'gina');
    const tok = await t.login('gina', STRONG_PASSWORD);
    const other = await t.post('auth/user/delete', { name: 'frank' }, tok);
    expect(other.status).toBe(403);
    const su = await t.post('auth/user/delete', { name: TEST_ADMIN.username }, admin);
    expect(su.body['message']).toBe('Cannot delete superuser');
    expect((await t.post('auth/user/delete', { name: 'gina' }, tok)).body).toEqual({
      message: 'user deleted',
    });
  });

  it('shows all users to admins, redacted others to non-admins with users:view only', async () => {
    const all = await t.post<Record<string, unknown>[]>('auth/user/show', {}, admin);
    expect(all.body.map((u) => u['Name'])).toEqual(
      expect.arrayContaining(['alice', 'bob', TEST_ADMIN.username]),
    );
    const alice = await t.login('alice', STRONG_PASSWORD);
    expect((await t.post('auth/user/show', {}, alice)).status).toBe(403);
  });
});

describeWithServers('accounts: bad-auth penalty and usercreate rate limit', () => {
  let t: TestMc;
  beforeAll(async () => {
    t = await startTestMc({ badAuthDelay: 3000 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('waits 3 s after a failed login, not after a good one', async () => {
    let t0 = performance.now();
    const bad = await t.post('login', { username: TEST_ADMIN.username, password: 'wrong-password' });
    const badMs = performance.now() - t0;
    expect(bad.body['message']).toBe('Invalid username or password');
    t0 = performance.now();
    const unknown = await t.post('login', { username: 'nosuchuser', password: 'wrong-password' });
    const unknownMs = performance.now() - t0;
    expect(unknown.body['message']).toBe('Invalid username or password');
    // the failed attempt above counts; wait out its 3 s lock before the good login
    await new Promise((r) => setTimeout(r, 3000));
    t0 = performance.now();
    await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const goodMs = performance.now() - t0;
    expect(badMs).toBeGreaterThanOrEqual(3000);
    expect(unknownMs).toBeGreaterThanOrEqual(3000);
    expect(goodMs).toBeLessThan(1000);
  }, 20_000);

  it('answers the third usercreate in a burst from one IP with 429', async () => {
    const body = (n: number): unknown => ({
      name: `rl${n}`,
      email: `rl${n}@example.com`,
      passhash: STRONG_PASSWORD,
    });
    const r = [];
    for (let i = 0; i < 3; i++) r.push(await t.post('usercreate', body(i)));
    expect(r.slice(0, 2).map((x) => x.status)).toEqual([200, 200]);
    expect(r[2]).toMatchObject({
      status: 429,
      body: {
        message:
          '/api/v1/usercreate is rejected, please retry later. Error is: Client exceeded api rate limit per ip. Exceeded rate of 2.000000 requests per second.',
      },
    });
  });
});
