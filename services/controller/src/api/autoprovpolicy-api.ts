import { create } from '@bufbuild/protobuf';
import { failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { editObject } from '../crud/edit';
import { notFoundError } from '../crud/errors';
import type { ObjectRules } from '../crud/object-api';
import type { ObjectTxn } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';
import { holder, sameCloudlet, txGet, type PlacementContext } from '../placement/context';

type Policy = edgeproto.AutoProvPolicy;

function validatePolicy(p: Policy): void {
  if (p.minActiveInstances > p.maxInstances && p.maxInstances !== 0)
    throw invalidArgument('Minimum active instances cannot be larger than Maximum Instances');
  if (p.minActiveInstances === 0 && p.deployClientCount === 0)
    throw invalidArgument('One of deploy client count and minimum active instances must be specified');
}

/** Each member cloudlet's location is copied into the policy (existence is the generic reference check). */
async function copyLocations(ctx: PlacementContext, tx: ObjectTxn, p: Policy): Promise<void> {
  for (const c of p.cloudlets) {
    const cloudlet = await txGet<edgeproto.Cloudlet>(tx, ctx.t.Cloudlet, c.key);
    if (cloudlet?.location) c.loc = cloudlet.location;
  }
}

/** AutoProvPolicy rules of the original: instance counts, member cloudlets' locations. */
export function autoProvPolicyRules(ctx: PlacementContext): ObjectRules<Policy> {
  return {
    validate(p, op) {
      validatePolicy(p);
      if (op === 'create' && p.minActiveInstances > p.cloudlets.length)
        throw invalidArgument('Minimum Active Instances cannot be larger than the number of Cloudlets');
    },
    onCreate: (tx, p) => copyLocations(ctx, tx, p),
    onUpdate: (tx, _cur, next) => copyLocations(ctx, tx, next),
  };
}

/** Add/RemoveAutoProvPolicyCloudlet. */
export function autoProvPolicyHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  const t = ctx.t;
  return {
    AddAutoProvPolicyCloudlet: async (req: edgeproto.AutoProvPolicyCloudlet) => {
      await editObject<Policy>(
        ctx.deps.store,
        t.AutoProvPolicy,
        holder(t.AutoProvPolicy, req.key),
        async (p, tx) => {
          if (p.cloudlets.some((c) => sameCloudlet(c.key, req.cloudletKey)))
            throw failedPrecondition('Cloudlet already part of policy');
          const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, req.cloudletKey);
          if (!cloudlet) throw notFoundError(t.Cloudlet, holder(t.Cloudlet, req.cloudletKey));
          p.cloudlets.push(
            create(edgeproto.AutoProvCloudletSchema, { key: req.cloudletKey, loc: cloudlet.location }),
          );
        },
      );
      return {};
    },
    RemoveAutoProvPolicyCloudlet: async (req: edgeproto.AutoProvPolicyCloudlet) => {
      await editObject<Policy>(ctx.deps.store, t.AutoProvPolicy, holder(t.AutoProvPolicy, req.key), (p) => {
        const i = p.cloudlets.findIndex((c) => sameCloudlet(c.key, req.cloudletKey));
        if (i < 0) return false;
        p.cloudlets.splice(i, 1);
        return true;
      });
      return {};
    },
  };
}
