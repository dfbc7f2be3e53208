import { Code, EdgeError, failedPrecondition } from '@edge/errors';
import { edgeproto, type ObjectRegistry } from '@edge/proto';
import { create } from '@bufbuild/protobuf';
import { editObject } from '../crud/edit';
import { beingDeletedError } from '../crud/errors';
import type { ObjectRules } from '../crud/object-api';
import type { ObjectStorePort, ObjectTxn } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';

type Pool = edgeproto.CloudletPool;

/** Member cloudlets belong to the pool's operator; all must exist and not be under deletion. */
async function checkCloudletsExist(reg: ObjectRegistry, tx: ObjectTxn, pool: Pool): Promise<void> {
  const cloudletType = reg.get('Cloudlet');
  const notFound: string[] = [];
  for (const key of pool.cloudlets) {
    key.organization = pool.key?.organization ?? '';
    const holder = create(edgeproto.CloudletSchema, { key });
    const found = await tx.get<edgeproto.Cloudlet>(cloudletType, holder);
    if (!found) notFound.push(cloudletType.keyJson(holder));
    else if (found.deletePrepare) throw beingDeletedError(cloudletType, holder);
  }
  if (notFound.length) throw new EdgeError(Code.NOT_FOUND, `Cloudlets ${notFound.join(', ')} not found`);
}

export function cloudletPoolRules(reg: ObjectRegistry): ObjectRules<Pool> {
  return {
    skipRefPaths: ['cloudlets'],
    onCreate: (tx, pool) => checkCloudletsExist(reg, tx, pool),
    onUpdate: (tx, _cur, next) => checkCloudletsExist(reg, tx, next),
  };
}

/** Add/RemoveCloudletPoolMember: the member's organization is always the pool's. */
export function cloudletPoolHandlers(
  reg: ObjectRegistry,
  store: ObjectStorePort,
): Record<string, RpcHandler> {
  const poolType = reg.get('CloudletPool');
  const holder = (m: edgeproto.CloudletPoolMember) => create(edgeproto.CloudletPoolSchema, { key: m.key });
  const member = (m: edgeproto.CloudletPoolMember) =>
    create(edgeproto.CloudletKeySchema, {
      name: m.cloudlet?.name ?? '',
      federatedOrganization: m.cloudlet?.federatedOrganization ?? '',
      organization: m.key?.organization ?? '',
    });
  const same = (a: edgeproto.CloudletKey, b: edgeproto.CloudletKey) =>
    a.organization === b.organization &&
    a.name === b.name &&
    a.federatedOrganization === b.federatedOrganization;
  return {
    AddCloudletPoolMember: async (m: edgeproto.CloudletPoolMember) => {
      await editObject<Pool>(store, poolType, holder(m), async (pool, tx) => {
        const key = member(m);
        if (pool.cloudlets.some((k) => same(k, key)))
          throw failedPrecondition('Cloudlet already part of pool');
        pool.cloudlets.push(key);
        await checkCloudletsExist(reg, tx, pool);
      });
      return {};
    },
    RemoveCloudletPoolMember: async (m: edgeproto.CloudletPoolMember) => {
      await editObject<Pool>(store, poolType, holder(m), (pool) => {
        const key = member(m);
        const i = pool.cloudlets.findIndex((k) => same(k, key));
        if (i >= 0) pool.cloudlets.splice(i, 1);
        return i >= 0;
      });
      return {};
    },
  };
}
