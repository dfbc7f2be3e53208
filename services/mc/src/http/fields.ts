import { invalidArgument } from '@edge/errors';

/**
 * Case-insensitive access to a JSON body of an MC-local struct. The original decodes with
 * Go's case-insensitive JSON, so clients send `{"name":…}` and `{"Name":…}` alike.
 */
export class Fields {
  private readonly byLower = new Map<string, unknown>();

  constructor(body: unknown) {
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) this.byLower.set(k.toLowerCase(), v);
    }
  }

  has(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }

  raw(name: string): unknown {
    return this.byLower.get(name.toLowerCase());
  }

  /** A string field ('' when absent); a non-string value is a 400 naming the field. */
  str(name: string): string {
    const v = this.raw(name);
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw invalidArgument(`Invalid JSON data: ${name} must be a string`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw invalidArgument(`Invalid JSON data: ${name} must be a boolean`);
    return v;
  }

  num(name: string): number {
    const v = this.raw(name);
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number') throw invalidArgument(`Invalid JSON data: ${name} must be a number`);
    return v;
  }

  /** A nested struct, itself read case-insensitively. */
  obj(name: string): Fields {
    const v = this.raw(name);
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v)))
      throw invalidArgument(`Invalid JSON data: ${name} must be an object`);
    return new Fields(v ?? {});
  }
}
