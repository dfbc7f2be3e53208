/** How desired and observed keys compare. */
export interface KeyDiff {
  /** Desired but not observed: to be made. */
  readonly missing: string[];
  /** Observed but not desired: to be removed (nothing may leak). */
  readonly extra: string[];
  /** Both: to be compared in detail. */
  readonly common: string[];
}

/**
 * Compares the keys of the desired state with those observed (e.g. what a platform
 * reports it has), for a full level-based resync: every key of the union gets reconciled.
 */
export function diffKeys(desired: Iterable<string>, observed: Iterable<string>): KeyDiff {
  const want = new Set(desired);
  const have = new Set(observed);
  const missing: string[] = [];
  const extra: string[] = [];
  const common: string[] = [];
  for (const k of want) (have.has(k) ? common : missing).push(k);
  for (const k of have) if (!want.has(k)) extra.push(k);
  return { missing, extra, common };
}
