import { create } from '@bufbuild/protobuf';
import { alreadyExists, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { isIP } from 'node:net';
import { editObject } from '../crud/edit';
import { validateKey } from '../crud/key-validation';
import { validName } from '../crud/names';
import type { RpcHandler } from '../grpc/services';
import type { ApiDeps } from './rules';

type Pool = edgeproto.VMPool;
type Vm = edgeproto.VM;

const INVALID_IPS = new Set(['0.0.0.0', '127.0.0.1']);

function validateVmName(vm: Vm | undefined): void {
  const name = vm?.name ?? '';
  if (name === '') throw invalidArgument('Missing VM name');
  if (!validName(name)) throw invalidArgument('Invalid VM name');
}

/** The original's VM.Validate: a valid name, a valid internal IP, an external IP if any. */
function validateVm(vm: Vm | undefined): void {
  validateVmName(vm);
  const ext = vm?.netInfo?.externalIp ?? '';
  const int = vm?.netInfo?.internalIp ?? '';
  if (ext !== '' && (isIP(ext) === 0 || INVALID_IPS.has(ext)))
    throw invalidArgument(`Invalid Address: ${ext}`);
  if (int === '') throw invalidArgument(`Missing internal IP for VM: ${vm?.name ?? ''}`);
  if (isIP(int) === 0) throw invalidArgument(`Invalid Address: ${int}`);
  // the original names the external address here
  if (INVALID_IPS.has(int)) throw invalidArgument(`Invalid Address: ${ext}`);
}

/** The original's validateVMNetInfo: a new VM may not reuse a member's addresses. */
function checkNetInfo(cur: Vm, next: Vm | undefined): void {
  const ext = cur.netInfo?.externalIp ?? '';
  if (ext !== '' && ext === next?.netInfo?.externalIp)
    throw alreadyExists('VM with same external IP already exists as part of VM pool');
  const int = cur.netInfo?.internalIp ?? '';
  if (int !== '' && int === next?.netInfo?.internalIp)
    throw alreadyExists('VM with same internal IP already exists as part of VM pool');
}

/**
 * Add/RemoveVMPoolMember, edited directly in the stored pool (the original's path for
 * pools no cloudlet uses, or with a CRM override). The pool's state becomes READY.
 */
export function vmPoolHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  const poolType = deps.reg.get('VMPool');
  const holder = (m: edgeproto.VMPoolMember) => create(edgeproto.VMPoolSchema, { key: m.key });
  const key = (m: edgeproto.VMPoolMember) => m.key ?? create(edgeproto.VMPoolKeySchema);
  return {
    AddVMPoolMember: async (m: edgeproto.VMPoolMember) => {
      validateKey('VMPoolKey', key(m));
      validateVm(m.vm);
      const vm = m.vm ?? create(edgeproto.VMSchema);
      await editObject<Pool>(deps.store, poolType, holder(m), (pool) => {
        for (const cur of pool.vms) {
          if (cur.name === vm.name)
            throw alreadyExists('VM with same name already exists as part of VM pool');
          checkNetInfo(cur, vm);
        }
        pool.vms.push(vm);
        pool.state = edgeproto.TrackedState.READY;
      });
      return {};
    },
    RemoveVMPoolMember: async (m: edgeproto.VMPoolMember) => {
      validateKey('VMPoolKey', key(m));
      validateVmName(m.vm);
      await editObject<Pool>(deps.store, poolType, holder(m), (pool) => {
        const i = pool.vms.findIndex((v) => v.name === m.vm?.name);
        if (i < 0) return false;
        pool.vms.splice(i, 1);
        pool.state = edgeproto.TrackedState.READY;
        return true;
      });
      return {};
    },
  };
}
