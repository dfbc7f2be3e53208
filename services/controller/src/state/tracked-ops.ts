import type { Message } from '@bufbuild/protobuf';
import type { OpContext } from '../crud/object-api';

/**
 * Create/update/delete of the objects that go through the TrackedState machine
 * (Cloudlet, ClusterInst, AppInst): each sets the *_REQUESTED state, streams the CRM's
 * progress through `op.send` and resolves when the CRM reports the target state; a
 * failed create is undone. Used by the RPC handlers and by rules that need another
 * tracked object first (an AppInst's auto-cluster).
 */
export interface TrackedOps {
  create(typeName: string, obj: Message, op: OpContext): Promise<void>;
  update(typeName: string, obj: Message, op: OpContext): Promise<void>;
  delete(typeName: string, obj: Message, op: OpContext): Promise<void>;
}
