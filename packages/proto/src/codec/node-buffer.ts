/**
 * Buffer methods Node has had for a long time but @types/node does not declare. They skip the
 * argument juggling of `write()`/`toString()` and are the fastest UTF-8 paths Node offers.
 */
export interface FastBuffer extends Buffer {
  utf8Write(s: string, offset: number, length?: number): number;
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
