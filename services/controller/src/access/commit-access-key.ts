import { clone, create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { StateDeps } from '../state';
import { applyState } from '../state/state-txn';
import { HA_ROLE_SECONDARY, type CommitAccessKey } from './upgrade-access-key';

/**
 * Commits an upgraded access key in one store transaction (the original's
 * `commitAccessPublicKey`): the cloudlet's primary (or secondary) public key is replaced
 * and its upgrade flag cleared. A cloudlet deleted meanwhile is left alone. Resolves once
 * this Controller's cache has the change, so the CRM may sign with the new key at once.
 */
export function commitAccessKey(deps: StateDeps): CommitAccessKey {
  const type = deps.reg.get('Cloudlet');
  return async (key, publicPem, haRole) => {
    await applyState(deps, async (tx) => {
      const cur = await tx.get<edgeproto.Cloudlet>(type, create(edgeproto.CloudletSchema, { key }));
      if (!cur) return;
      const next = clone(edgeproto.CloudletSchema, cur);
      if (haRole === HA_ROLE_SECONDARY) {
        next.secondaryCrmAccessPublicKey = publicPem;
        next.secondaryCrmAccessKeyUpgradeRequired = false;
      } else {
        next.crmAccessPublicKey = publicPem;
        next.crmAccessKeyUpgradeRequired = false;
      }
      tx.put(type, next);
    });
  };
}
