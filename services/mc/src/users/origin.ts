import type { RequestCtx } from '../http/routes';
import type { RequestOrigin } from '../mail/templates';

/** IP, OS and browser of a request, worded as the original's security mails. */
export function requestOrigin(ctx: RequestCtx): RequestOrigin {
  const ua = ctx.req.get('user-agent') ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return { ip: ctx.ip || 'unknown', os: os || 'unspecified OS', browser: browser || 'unspecified browser' };
}
