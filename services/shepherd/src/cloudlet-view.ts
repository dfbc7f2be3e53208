import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { T, type Replica } from './replica';

const READY = edgeproto.TrackedState.READY;

/** Whether two cloudlet keys name the same cloudlet. */
export function sameCloudlet(
  a: edgeproto.CloudletKey | undefined,
  b: edgeproto.CloudletKey | undefined,
): boolean {
  return (a?.organization ?? '') === (b?.organization ?? '') && (a?.name ?? '') === (b?.name ?? '');
}

/**
 * The objects of one cloudlet in a Replica, and how they refer to each other. A CRM only
 * relays its own cloudlet's instances, but a Shepherd filters anyway (it may hang off a
 * parent that sends more).
 */
export class CloudletView {
  constructor(
    readonly replica: Replica,
    readonly key: edgeproto.CloudletKey,
  ) {}

  /** The Cloudlet object, once received. */
  cloudlet(): edgeproto.Cloudlet | undefined {
    return this.replica.list<edgeproto.Cloudlet>(T.Cloudlet).find((c) => sameCloudlet(c.key, this.key));
  }

  /** AppInsts of this cloudlet in state READY. */
  readyAppInsts(): edgeproto.AppInst[] {
    return this.replica
      .list<edgeproto.AppInst>(T.AppInst)
      .filter((ai) => ai.state === READY && sameCloudlet(ai.key?.clusterInstKey?.cloudletKey, this.key));
  }

  /** ClusterInsts of this cloudlet in state READY. */
  readyClusterInsts(): edgeproto.ClusterInst[] {
    return this.replica
      .list<edgeproto.ClusterInst>(T.ClusterInst)
      .filter((ci) => ci.state === READY && sameCloudlet(ci.key?.cloudletKey, this.key));
  }

  /** The current version of `ai` (undefined once deleted). */
  appInst(ai: edgeproto.AppInst): edgeproto.AppInst | undefined {
    return this.replica.get<edgeproto.AppInst>(T.AppInst, ai);
  }

  app(ai: edgeproto.AppInst): edgeproto.App | undefined {
    if (!ai.key?.appKey) return undefined;
    return this.replica.get<edgeproto.App>(T.App, create(edgeproto.AppSchema, { key: ai.key.appKey }));
  }

  /** The AppInst's flavor (its own, else its App's default flavor). */
  flavor(ai: edgeproto.AppInst): edgeproto.Flavor | undefined {
    const name = ai.flavor?.name || this.app(ai)?.defaultFlavor?.name;
    if (!name) return undefined;
    return this.replica.get<edgeproto.Flavor>(T.Flavor, create(edgeproto.FlavorSchema, { key: { name } }));
  }

  /** The AlertPolicies the AppInst's App names (policies of the App's organization). */
  alertPolicies(ai: edgeproto.AppInst): edgeproto.AlertPolicy[] {
    const app = this.app(ai);
    if (!app) return [];
    const org = app.key?.organization ?? '';
    return app.alertPolicies
      .map((name) =>
        this.replica.get<edgeproto.AlertPolicy>(
          T.AlertPolicy,
          create(edgeproto.AlertPolicySchema, { key: { organization: org, name } }),
        ),
      )
      .filter((p): p is edgeproto.AlertPolicy => p !== undefined);
  }
}
