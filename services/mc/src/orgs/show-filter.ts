import type { Fields } from '../http/fields';

/** A filterable field of a show request: its JSON (Go) name, column, and value kind. */
export interface FilterColumn {
  readonly field: string;
  readonly column: string;
  readonly kind: 'string' | 'bool';
  /** Compare case-insensitively (the original's citext columns). */
  readonly ci?: boolean;
}

/**
 * SQL conditions for the fields present in a show request's body, as the original's
 * bindDbFilter: every field given, even with a zero value, must match. Parameters are
 * numbered from `$<first>`.
 */
export function showFilter(
  fields: Fields,
  columns: readonly FilterColumn[],
  first = 1,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const c of columns) {
    if (!fields.has(c.field)) continue;
    params.push(c.kind === 'bool' ? fields.bool(c.field) : fields.str(c.field));
    const p = `$${first + params.length - 1}`;
    where.push(c.ci ? `lower(${c.column}) = lower(${p})` : `${c.column} = ${p}`);
  }
  return { where, params };
}
