import { z } from 'zod';

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/;

/** `host:port` (host may be empty for all interfaces, or `[::1]`). */
export function hostPort(): z.ZodString {
  return z.string().refine(
    (s) => {
      const m = HOST_PORT.exec(s);
      return m !== null && Number(m[2]) <= 65535;
    },
    { error: (iss) => `expected host:port, got ${JSON.stringify(iss.input)}` },
  );
}

/** Comma-separated `host:port` list, e.g. the notify parents of a CRM. */
export function hostPortList() {
  return z
    .string()
    .refine((s) => s.split(',').every((p) => HOST_PORT.test(p.trim())), {
      error: (iss) => `expected comma-separated host:port list, got ${JSON.stringify(iss.input)}`,
    })
    .transform((s) => s.split(',').map((p) => p.trim()));
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style duration string (`300ms`, `30s`, `1h30m`) or a number of ms; resolves to ms. */
export function duration() {
  return z
    .union([
      z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, {
        error: (iss) => `expected a duration like 30s, got ${JSON.stringify(iss.input)}`,
      }),
      z.number().nonnegative(),
    ])
    .transform((v) => {
      if (typeof v === 'number') return v;
      let ms = 0;
      for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
        ms += Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1);
      return ms;
    });
}

/** Boolean from `true/false/1/0` strings (env and flags are strings). */
export function flag() {
  return z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1');
}
