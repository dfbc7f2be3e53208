/** The `Set-Cookie` value of a login token: Secure, HttpOnly, SameSite=Strict, Domain when configured (the original's cookie). */
export function authCookie(token: string, expSec: number, domain: string): string {
  const parts = [
    `token=${token}`,
    `Expires=${new Date(expSec * 1000).toUTCString()}`,
    ...(domain ? [`Domain=${domain}`] : []),
    'HttpOnly',
    'Secure',
    'SameSite=Strict',
  ];
  return parts.join('; ');
}
