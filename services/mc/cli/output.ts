import { stringify } from 'yaml';

/** Output formats of `--output-format`. */
export const OUTPUT_FORMATS = ['yaml', 'json', 'json-compact', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** True if `s` names an output format. */
export const isOutputFormat = (s: string): s is OutputFormat =>
  (OUTPUT_FORMATS as readonly string[]).includes(s);

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    for (const [k, sub] of Object.entries(v)) flatten(sub, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v)) {
    out.set(prefix, v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(','));
  } else {
    out.set(prefix, v === null || v === undefined ? '' : String(v));
  }
}

/** One row per object, one column per (dotted) field seen in any object. */
function table(value: unknown): string {
  const rows = (Array.isArray(value) ? value : [value]).map((v) => {
    const m = new Map<string, string>();
    flatten(v, '', m);
    return m;
  });
  const cols: string[] = [];
  for (const r of rows) for (const k of r.keys()) if (!cols.includes(k)) cols.push(k);
  const headers = cols.map((c) => c.toUpperCase() || 'VALUE');
  const widths = cols.map((c, i) =>
    Math.max((headers[i] as string).length, ...rows.map((r) => (r.get(c) ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map((r) => line(cols.map((c) => r.get(c) ?? '')))].join('\n') + '\n';
}

/** Renders a reply in an output format (yaml as the original prints it: block style, no document marker). */
export function formatOutput(value: unknown, format: OutputFormat): string {
  switch (format) {
    case 'yaml':
      return stringify(value, { lineWidth: 0 });
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'json-compact':
      return `${JSON.stringify(value)}\n`;
    case 'table':
      return table(value);
  }
}
