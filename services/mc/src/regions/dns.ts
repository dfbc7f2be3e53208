/** The original's limit on the DNS label derived from a region name (`DnsRegionLabelMaxLen`). */
export const DNS_REGION_LABEL_MAX_LEN = 10;

const DROPPED = /[ &,.!]/g;

/**
 * The original's DNS sanitiser: `_` becomes `-`; space, `&`, `,`, `.` and `!` are dropped;
 * lower case; trailing `-` trimmed. Other characters are kept as they are.
 */
export function dnsSanitize(name: string): string {
  return name.replace(/_/g, '-').replace(DROPPED, '').toLowerCase().replace(/-+$/, '');
}
