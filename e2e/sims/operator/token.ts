/**
 * Location verification tokens of the simulated operator: base64 of `IP=<ip> Expires=<unix s>`,
 * as the original's token server simulator hands out (valid 60 s by default).
 */
export const DEFAULT_TOKEN_VALID_SECONDS = 60;

/** A token for a device IP, valid `validSeconds` from `nowMs` (negative = already expired). */
export function generateToken(
  ip: string,
  validSeconds = DEFAULT_TOKEN_VALID_SECONDS,
  nowMs = Date.now(),
): string {
  const expires = Math.floor(nowMs / 1000) + validSeconds;
  return Buffer.from(`IP=${ip} Expires=${expires}`).toString('base64');
}

/** The IP of a token and whether it is still valid; undefined when it cannot be decoded. */
export function decodeToken(token: string, nowMs = Date.now()): { ip: string; valid: boolean } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  const m = /^IP=(\S*) Expires=(-?\d+)$/.exec(Buffer.from(token, 'base64').toString());
  if (!m) return undefined;
  return { ip: m[1]!, valid: Math.floor(nowMs / 1000) <= Number(m[2]) };
}
