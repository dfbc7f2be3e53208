import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { appKeyJson, realClusterKeyJson } from './app-keys';
import { APP_INST, CLUSTER_INST } from './kinds';
import { timeLimitMs, type InstDeps } from './inst-deps';
import { runOp } from './op-runner';

const TS = edgeproto.TrackedState;

/** CREATE_REQUESTED: create the cluster; READY with its infra resources, or CREATE_ERROR. */
export function createClusterInst(deps: InstDeps, key: string, ci: edgeproto.ClusterInst) {
  return runOp(deps, {
    kind: CLUSTER_INST,
    key,
    obj: ci,
    verb: 'create',
    timeLimitMs: timeLimitMs(deps, CLUSTER_INST.limits.create),
    work: async (ctx) => {
      await deps.platform.createClusterInst(ci, ctx);
      return clusterResources(deps, ci, ctx.progress);
    },
  });
}

/**
 * UPDATE_REQUESTED: update the cluster, refresh the runtime of the READY Kubernetes
 * AppInsts on it (their pods may have moved), then READY with its resources, or UPDATE_ERROR.
 */
export function updateClusterInst(deps: InstDeps, key: string, ci: edgeproto.ClusterInst) {
  return runOp(deps, {
    kind: CLUSTER_INST,
    key,
    obj: ci,
    verb: 'update',
    timeLimitMs: timeLimitMs(deps, CLUSTER_INST.limits.update),
    work: async (ctx) => {
      await deps.platform.updateClusterInst(ci, ctx);
      await refreshAppInstRuntimes(deps, ci);
      return clusterResources(deps, ci, ctx.progress);
    },
  });
}

/** DELETE_REQUESTED (or a DELETING to finish): delete; DELETE_DONE or DELETE_ERROR. */
export function deleteClusterInst(deps: InstDeps, key: string, ci: edgeproto.ClusterInst, present: boolean) {
  return runOp(deps, {
    kind: CLUSTER_INST,
    key,
    obj: ci,
    verb: 'delete',
    timeLimitMs: timeLimitMs(deps, CLUSTER_INST.limits.delete),
    // What the platform no longer has is deleted already.
    work: async (ctx) => (present ? deps.platform.deleteClusterInst(ci, ctx) : undefined),
  });
}

async function clusterResources(
  deps: InstDeps,
  ci: edgeproto.ClusterInst,
  progress: { task(text: string): void },
): Promise<(info: edgeproto.ClusterInstInfo | edgeproto.AppInstInfo) => void> {
  progress.task('Getting Cluster Infra Resources');
  let resources: edgeproto.InfraResources | undefined;
  try {
    resources = await deps.platform.clusterResources(ci.key ?? create(edgeproto.ClusterInstKeySchema));
  } catch (err) {
    deps.log.warn({ err }, 'error getting infra resources');
  }
  return (info) => {
    if (resources) (info as edgeproto.ClusterInstInfo).resources = resources;
  };
}

async function refreshAppInstRuntimes(deps: InstDeps, ci: edgeproto.ClusterInst): Promise<void> {
  const clusterKey = deps.codec.keyJson(edgeproto.ClusterInstSchema.typeName, ci);
  for (const ai of deps.cache.list<edgeproto.AppInst>(APP_INST.type)) {
    const aiKey = deps.codec.keyJson(APP_INST.type, ai);
    const info = deps.infos.get(APP_INST, aiKey) as edgeproto.AppInstInfo | undefined;
    if (ai.state !== TS.READY || info?.state !== TS.READY) continue;
    const app = deps.cache.get<edgeproto.App>(edgeproto.AppSchema.typeName, appKeyJson(deps.codec, ai));
    if (!app || (app.deployment !== 'kubernetes' && app.deployment !== 'helm')) continue;
    const real = realClusterKeyJson(deps.codec, ai);
    if (real !== clusterKey) continue;
    try {
      const rt = await deps.platform.appInstRuntime({ appInst: ai, app, clusterInst: ci, flavor: undefined });
      if (!rt) continue;
      deps.infos.modify(APP_INST, aiKey, info, (i) => {
        (i as edgeproto.AppInstInfo).runtimeInfo = create(edgeproto.AppInstRuntimeSchema, {
          containerIds: rt.containerIds,
        });
      });
    } catch (err) {
      deps.log.warn({ err, appInst: aiKey }, 'unable to get AppInstRuntime');
    }
  }
}
