import { create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { RpcHandler } from '../grpc/services';
import type { PlacementContext } from './context';
import { findFlavorMatch } from './flavor-match';

/**
 * ShowCloudletsForAppDeployment (basic): the cloudlets where the App's default flavor
 * maps to a platform flavor. TODO: dry_run_deploy's resource check per cloudlet.
 */
export function cloudletsForAppHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  return {
    ShowCloudletsForAppDeployment: async function* (req: edgeproto.DeploymentCloudletRequest) {
      const flavor = req.app?.defaultFlavor?.name ?? '';
      if (!flavor) throw invalidArgument('No flavor specified for App');
      for (const c of ctx.deps.cache.list<edgeproto.Cloudlet>(ctx.t.Cloudlet)) {
        try {
          await findFlavorMatch(ctx, c.key, flavor);
        } catch {
          continue;
        }
        yield create(edgeproto.CloudletKeySchema, c.key);
      }
    },
  };
}
