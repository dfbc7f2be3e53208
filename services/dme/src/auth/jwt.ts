import {
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify as rsaVerify,
  type KeyObject,
} from 'node:crypto';

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const HS512_HEADER = b64u(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));

/** Signs `claims` as an HS512 JWT. */
export function signHs512(claims: object, secret: Buffer): string {
  const input = `${HS512_HEADER}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(createHmac('sha512', secret).update(input).digest())}`;
}

/** The claims of a compact JWT without checking anything; undefined when malformed. */
export function decodeClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as { alg?: unknown };
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as unknown;
    if (typeof claims !== 'object' || claims === null || typeof header !== 'object') return undefined;
    return claims as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Whether the HS512 signature of `token` is valid with `secret` (and its header says HS512). */
export function verifyHs512(token: string, secret: Buffer): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HS512_HEADER) return false;
  const want = createHmac('sha512', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Parses a PEM RSA public key; undefined when it is not one. */
export function rsaPublicKey(pem: string): KeyObject | undefined {
  try {
    const k = createPublicKey(pem);
    return k.asymmetricKeyType === 'rsa' ? k : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an RS256 JWT and its exp/nbf; returns its claims, or throws an Error with the
 * message the original's JWT library gives.
 */
export function verifyRs256(token: string, key: KeyObject, nowSec: number): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('token contains an invalid number of segments');
  let header: { alg?: unknown };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as { alg?: unknown };
  } catch {
    throw new Error('invalid character looking for beginning of value');
  }
  if (header.alg !== 'RS256') throw new Error(`unexpected signing method: ${String(header.alg)}`);
  const ok = rsaVerify(
    'RSA-SHA256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    key,
    Buffer.from(parts[2]!, 'base64url'),
  );
  if (!ok) throw new Error('crypto/rsa: verification error');
  const claims = decodeClaims(token);
  if (!claims) throw new Error('invalid character looking for beginning of value');
  const exp = claims['exp'];
  if (typeof exp === 'number' && nowSec > exp) throw new Error(`token is expired by ${nowSec - exp}s`);
  const nbf = claims['nbf'];
  if (typeof nbf === 'number' && nowSec < nbf) throw new Error('token is not valid yet');
  return claims;
}
