import { clone, type Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import { notFoundError } from './errors';
import type { ObjectStorePort, ObjectTxn } from './ports';

/**
 * Read-modify-write of one stored object in a transaction, for RPCs that edit part of
 * an object (AddFlavorRes, AddCloudletPoolMember, …). `edit` changes the copy and
 * returns false when nothing changed (then nothing is written). NOT_FOUND when absent.
 */
export async function editObject<T extends Message>(
  store: ObjectStorePort,
  type: ObjectType,
  holder: Message,
  edit: (next: T, tx: ObjectTxn) => Promise<boolean | void> | boolean | void,
): Promise<void> {
  await store.apply(async (tx) => {
    const cur = await tx.get<T>(type, holder);
    if (!cur) throw notFoundError(type, holder);
    const next = clone(type.schema, cur) as T;
    if ((await edit(next, tx)) === false) return;
    tx.put(type, next);
  });
}
