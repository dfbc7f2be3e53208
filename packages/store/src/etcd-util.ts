import { EdgeError } from '@edge/errors';
import { EtcdLeaseInvalidError, type IKeyValue } from 'etcd3';
import { leaseNotFound, storeUnavailable } from './errors';
import type { KeyValue } from './kv-store';

/** etcd int64 (a decimal string) as a JS number; exact below 2^53, which revisions stay under. */
export function num(v: string | number | undefined): number {
  return v === undefined ? 0 : Number(v);
}

/** Our KeyValue of an etcd one. */
export function toKeyValue(kv: IKeyValue): KeyValue {
  const lease = kv.lease && kv.lease !== '0' ? kv.lease : undefined;
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: num(kv.create_revision),
    modRevision: num(kv.mod_revision),
    version: num(kv.version),
    ...(lease === undefined ? {} : { lease }),
  };
}

/** The `range_end` that makes a range cover every key starting with `prefix` (etcd's prefix rule). */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if ((b[i] as number) < 0xff) {
      const end = b.subarray(0, i + 1);
      end[i] = (b[i] as number) + 1;
      return end;
    }
  }
  return Buffer.from([0]); // empty or all-0xff prefix: every key
}

/**
 * Converts a failure of the etcd client to an EdgeError: a missing lease is NOT_FOUND,
 * anything else UNAVAILABLE with the original kept as cause for the logs.
 */
export function fromEtcdError(err: unknown, leaseId?: string): EdgeError {
  if (err instanceof EdgeError) return err;
  if (err instanceof EtcdLeaseInvalidError) return leaseNotFound(leaseId ?? '?');
  return storeUnavailable(err);
}

/** Runs an etcd call, converting its failure with {@link fromEtcdError}. */
export async function etcdCall<T>(f: () => Promise<T>, leaseId?: string): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw fromEtcdError(err, leaseId);
  }
}
