import type { Message } from '@bufbuild/protobuf';
import type { PlacementWorld } from './world';
import { rejection } from '../../testing/rejection';

/** Runs `fn`, expects it to fail without writing anything (same store revision); returns [code, message]. */
export async function refused(w: PlacementWorld, fn: () => Promise<unknown>): Promise<[number, string]> {
  const before = await w.kv.revision();
  const err = await rejection(fn);
  expect(await w.kv.revision()).toBe(before);
  return [err.code, err.message];
}

/**
 * A refused delete: the two-phase delete marks the object then clears the mark, so the
 * stored object must be as before (not the revision).
 */
export async function refusedDelete(
  w: PlacementWorld,
  typeName: string,
  obj: Message,
): Promise<[number, string]> {
  const before = w.get(typeName, obj);
  const err = await rejection(() => w.api(typeName).delete(obj));
  expect(w.get(typeName, obj)).toEqual(before);
  return [err.code, err.message];
}
