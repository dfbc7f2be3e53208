import type { IPoint } from 'influx';

/**
 * An InfluxDB integer field value (`5i` in line protocol). The `influx` client writes plain JS
 * numbers as floats when no schema is declared, and ours cannot declare one: Metric messages
 * bring their own measurements and fields. Its schemaless path renders a non-string value with
 * `String(value)`, which for this class yields the integer syntax.
 */
export class IntField {
  constructor(readonly value: bigint) {}
  toString(): string {
    return `${this.value}i`;
  }
}

/** A field value: float, integer, boolean or string, as InfluxDB 1.x types them. */
export type FieldValue = number | IntField | boolean | string;

/** One point for a database, with a nanosecond timestamp (decimal string). */
export interface InfluxPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly timestampNs: string;
}

/**
 * The `influx` client's form of a point (write with `precision: 'n'`). Tags with empty values
 * are left out, as the Go client does: line protocol has no empty tag value.
 */
export function toIPoint(p: InfluxPoint): IPoint {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.tags)) if (v !== '') tags[k] = v;
  return { measurement: p.measurement, tags, fields: { ...p.fields }, timestamp: p.timestampNs };
}

/**
 * Hands out strictly increasing nanosecond timestamps with microsecond resolution, so that two
 * events of the same series stay two points (InfluxDB keeps one point per measurement, tag set
 * and timestamp) — within one Controller always, across Controllers unless recorded in the
 * same microsecond.
 */
export class NanoClock {
  private last = 0n;
  constructor(private readonly nowMs: () => number = () => performance.timeOrigin + performance.now()) {}

  /** The next timestamp, in nanoseconds since the epoch. */
  next(): string {
    const ns = BigInt(Math.floor(this.nowMs() * 1000)) * 1000n;
    this.last = ns > this.last ? ns : this.last + 1n;
    return this.last.toString();
  }
}
