import { createSign, generateKeyPairSync } from 'node:crypto';
import { Code, type EdgeError } from '@edge/errors';
import { MemorySecretStore } from '@edge/secrets';
import { Cookies } from './cookies';
import { KeyRing } from './key-ring';
import { ksuid } from './ksuid';
import { checkRegister, type RegisterInput } from './register';

const req = (r: Partial<RegisterInput> = {}): RegisterInput => ({
  orgName: 'dev',
  appName: 'app',
  appVers: '1',
  authToken: '',
  uniqueIdType: '',
  uniqueId: '',
  ...r,
});
const fails = (fn: () => unknown): { code: Code; message: string } => {
  try {
    fn();
  } catch (e) {
    const err = e as EdgeError;
    return { code: err.code, message: err.message };
  }
  throw new Error('expected a failure');
};

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
function rs256(claims: object): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b({ alg: 'RS256', typ: 'JWT' })}.${b(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

describe('RegisterClient checks (reference §4.2)', () => {
  const id = () => 'K'.repeat(27);
  it('refuses missing fields and unknown apps with the original texts', () => {
    expect(fails(() => checkRegister(req({ orgName: '' }), '', id, 0))).toEqual({
      code: Code.INVALID_ARGUMENT,
      message: 'OrgName cannot be empty',
    });
    expect(fails(() => checkRegister(req({ appName: '' }), '', id, 0)).message).toBe(
      'AppName cannot be empty',
    );
    expect(fails(() => checkRegister(req({ appVers: '' }), '', id, 0)).message).toBe(
      'AppVers cannot be empty',
    );
    expect(fails(() => checkRegister(req(), undefined, id, 0))).toEqual({
      code: Code.NOT_FOUND,
      message: 'app not found',
    });
    expect(fails(() => checkRegister(req({ uniqueId: 'x' }), '', id, 0)).message).toBe(
      'Both, or none of UniqueId and UniqueIdType should be set',
    );
  });

  it('generates a dme-ksuid id, or <org>:<app> for platform apps; keeps a given one', () => {
    expect(checkRegister(req(), '', id, 0)).toEqual({
      uniqueIdType: 'dme-ksuid',
      uniqueId: id(),
      generated: true,
    });
    expect(
      checkRegister(req({ orgName: 'platos', appName: 'PlatosEnablingLayer' }), '', id, 0).uniqueIdType,
    ).toBe('platos:PlatosEnablingLayer');
    expect(checkRegister(req({ uniqueId: 'u', uniqueIdType: 't' }), '', id, 0)).toEqual({
      uniqueIdType: 't',
      uniqueId: 'u',
      generated: false,
    });
    expect(ksuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('checks the RS256 app token against the App key', () => {
    const now = 1_700_000_000;
    const good = rs256({ orgname: 'dev', appname: 'app', appvers: '1', exp: now + 60 });
    expect(checkRegister(req({ authToken: good }), pubPem, id, now).generated).toBe(true);
    expect(fails(() => checkRegister(req(), pubPem, id, now))).toEqual({
      code: Code.INVALID_ARGUMENT,
      message: 'No authtoken received',
    });
    expect(fails(() => checkRegister(req({ authToken: good }), '', id, now))).toEqual({
      code: Code.UNAUTHENTICATED,
      message: 'No authkey found to validate token',
    });
    const msg = (claims: object, key = pubPem) =>
      fails(() => checkRegister(req({ authToken: rs256(claims) }), key, id, now)).message;
    expect(msg({ orgname: 'x', appname: 'app', appvers: '1' })).toBe(
      'failed to verify token - token organization mismatch',
    );
    expect(msg({ orgname: 'dev', appname: 'x', appvers: '1' })).toBe(
      'failed to verify token - token appname mismatch',
    );
    expect(msg({ orgname: 'dev', appname: 'app', appvers: '2' })).toBe(
      'failed to verify token - token appvers mismatch',
    );
    expect(msg({ orgname: 'dev' }, 'not a key')).toBe('failed to verify token - unable to parse JWT token');
    expect(msg({ orgname: 'dev', appname: 'app', appvers: '1', exp: now - 5 })).toBe(
      'failed to verify token - token is expired by 5s',
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(msg({ orgname: 'dev', appname: 'app', appvers: '1' }, other.toString())).toBe(
      'failed to verify token - crypto/rsa: verification error',
    );
  });
});

describe('cookies', () => {
  it('signs HS512 session cookies with the original claims, expiring after 24 h', async () => {
    let now = 1_700_000_000_000;
    const ring = await KeyRing.open(new MemorySecretStore());
    const c = new Cookies(ring, { sessionMs: 24 * 3600_000, edgeEventsMs: 600_000, now: () => now });
    const cookie = c.session({ peerip: '10.0.0.1', orgname: 'dev', appname: 'app', appvers: '1' });
    const [h, p] = cookie.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS512', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({
      exp: 1_700_000_000 + 86400,
      iat: 1_700_000_000,
      key: { peerip: '10.0.0.1', orgname: 'dev', appname: 'app', appvers: '1', kid: 1 },
    });
    expect(c.verifySession(cookie).orgname).toBe('dev');
    const ee = c.edgeEvents({ cloudletname: 'c1' });
    now += 11 * 60_000;
    expect(() => c.verifyEdgeEvents(ee)).toThrow('invalid or expired cookie');
    expect(c.verifySession(cookie).appname).toBe('app');
    now += 24 * 3600_000;
    expect(fails(() => c.verifySession(cookie))).toEqual({
      code: Code.UNAUTHENTICATED,
      message: 'invalid or expired cookie',
    });
    expect(() => c.verifySession('garbage')).toThrow('invalid or expired cookie');
    expect(() => c.verifySession(`${cookie.slice(0, -4)}AAAA`)).toThrow('invalid or expired cookie');
  });

  it('rotates keys by kid: the new key signs, old cookies still verify, forged kids fail', async () => {
    const store = new MemorySecretStore();
    const ring = await KeyRing.open(store);
    const c = new Cookies(ring, { sessionMs: 3600_000, edgeEventsMs: 600_000 });
    const old = c.session({ orgname: 'dev' });
    expect(await ring.rotate()).toBe(2);
    const fresh = c.session({ orgname: 'dev' });
    expect(JSON.parse(Buffer.from(fresh.split('.')[1]!, 'base64url').toString()).key.kid).toBe(2);
    expect(c.verifySession(old).orgname).toBe('dev');
    expect(c.verifySession(fresh).orgname).toBe('dev');
    // Another DME sharing the store sees the rotation after reload.
    const other = await KeyRing.open(store);
    expect(other.kid).toBe(2);
    await ring.rotate(1);
    await ring.rotate(1);
    expect(() => c.verifySession(old)).toThrow('invalid or expired cookie');
  });
});
