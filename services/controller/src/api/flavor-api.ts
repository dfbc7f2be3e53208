import { Code, EdgeError, invalidArgument } from '@edge/errors';
import type { edgeproto } from '@edge/proto';
import { editObject } from '../crud/edit';
import type { ObjectApi, ObjectRules } from '../crud/object-api';
import type { ObjectStorePort } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';
import { validateOptResMap, validateResName } from './opt-res';

type Flavor = edgeproto.Flavor;

/** Flavor rules of the original: sizes must be set; only GPU optional resources. */
export const flavorRules: ObjectRules<Flavor> = {
  validate(f) {
    if (f.ram === 0n) throw invalidArgument('Ram cannot be 0');
    if (f.vcpus === 0n) throw invalidArgument('Vcpus cannot be 0');
    if (f.disk === 0n) throw invalidArgument('Disk cannot be 0');
    validateOptResMap(f.optResMap);
  },
};

/** UpdateFlavor (refused, as in the original) and Add/RemoveFlavorRes. */
export function flavorHandlers(api: ObjectApi<Flavor>, store: ObjectStorePort): Record<string, RpcHandler> {
  const editRes = (edit: (cur: Flavor, req: Flavor) => void) => async (req: Flavor) => {
    await editObject<Flavor>(store, api.type, req, (next) => edit(next, req));
    return {};
  };
  return {
    UpdateFlavor: async () => {
      throw new EdgeError(Code.UNIMPLEMENTED, 'Update Flavor not supported');
    },
    AddFlavorRes: editRes((cur, req) => {
      for (const [res, val] of Object.entries(req.optResMap)) {
        validateResName(res);
        cur.optResMap[res] = val;
      }
    }),
    RemoveFlavorRes: editRes((cur, req) => {
      for (const res of Object.keys(req.optResMap)) delete cur.optResMap[res];
    }),
  };
}
