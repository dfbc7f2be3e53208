import { clone, create } from '@bufbuild/protobuf';
import { edgeproto, type ObjectRegistry } from '@edge/proto';
import type { ObjectStorePort } from '../crud/ports';

/**
 * Stores `publicPem` as the cloudlet's secondary CRM access key, usable at once (no upgrade):
 * the key of a CRM this Controller starts itself. A cloudlet deleted meanwhile is left alone.
 */
export function secondaryAccessKeyWriter(
  reg: ObjectRegistry,
  store: ObjectStorePort,
): (key: edgeproto.CloudletKey, publicPem: string) => Promise<void> {
  const type = reg.get('Cloudlet');
  return (key, publicPem) =>
    store.apply(async (tx) => {
      const cur = await tx.get<edgeproto.Cloudlet>(type, create(edgeproto.CloudletSchema, { key }));
      if (!cur) return;
      const next = clone(edgeproto.CloudletSchema, cur);
      next.secondaryCrmAccessPublicKey = publicPem;
      next.secondaryCrmAccessKeyUpgradeRequired = false;
      tx.put(type, next);
    });
}
