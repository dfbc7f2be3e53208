import { create } from '@bufbuild/protobuf';
import type { AppInstSpec, OpContext } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import { appKeyJson, flavorKeyJson, realClusterKey, realClusterKeyJson } from './app-keys';
import { timeLimitMs, type InstDeps } from './inst-deps';
import { APP_INST } from './kinds';
import { errorText, reportError, runOp } from './op-runner';

const TS = edgeproto.TrackedState;

/** A deployment that needs no ClusterInst (the original's IsClusterInstReqd is false). */
const isVm = (app: edgeproto.App | undefined): boolean => app?.deployment === 'vm';

/** The pieces of an AppInst's spec from the desired state, or the pre-check failure text. */
function specOf(deps: InstDeps, ai: edgeproto.AppInst, needFlavor: boolean): AppInstSpec | string {
  const flavorName = ai.flavor?.name ?? '';
  const flavor = deps.cache.get<edgeproto.Flavor>(
    edgeproto.FlavorSchema.typeName,
    flavorKeyJson(deps.codec, flavorName),
  );
  if (needFlavor && !flavor) return `Flavor ${flavorName} not found`;
  const appKey = appKeyJson(deps.codec, ai);
  const app =
    deps.cache.get<edgeproto.App>(edgeproto.AppSchema.typeName, appKey) ??
    create(edgeproto.AppSchema, { key: ai.key?.appKey });
  let clusterInst: edgeproto.ClusterInst | undefined;
  if (!isVm(app)) {
    clusterInst = deps.cache.get<edgeproto.ClusterInst>(
      edgeproto.ClusterInstSchema.typeName,
      realClusterKeyJson(deps.codec, ai),
    );
    if (!clusterInst) return `Cluster instance ${realClusterKey(ai).clusterKey?.name ?? ''} not found`;
  }
  return { appInst: ai, app, clusterInst, flavor };
}

/** The runtime and URI of a deployed instance, for the READY info. */
async function runtimeOf(deps: InstDeps, spec: AppInstSpec) {
  try {
    const rt = await deps.platform.appInstRuntime(spec);
    return (info: edgeproto.AppInstInfo | edgeproto.ClusterInstInfo): void => {
      const i = info as edgeproto.AppInstInfo;
      i.powerState = edgeproto.PowerState.POWER_ON;
      if (!rt) return;
      i.runtimeInfo = create(edgeproto.AppInstRuntimeSchema, { containerIds: rt.containerIds });
      if (rt.uri) i.uri = rt.uri;
    };
  } catch (err) {
    deps.log.warn({ err }, 'unable to get AppInstRuntime');
    return (info: edgeproto.AppInstInfo | edgeproto.ClusterInstInfo): void => {
      (info as edgeproto.AppInstInfo).powerState = edgeproto.PowerState.POWER_ON;
    };
  }
}

/**
 * CREATE_REQUESTED: pre-checks (`Flavor %s not found`, `Cluster instance %s not found`),
 * then create; READY with runtime and URI, or CREATE_ERROR. A failed create is cleaned up
 * on the platform (best effort) before the error is reported.
 */
export async function createAppInst(
  deps: InstDeps,
  key: string,
  ai: edgeproto.AppInst,
): Promise<edgeproto.TrackedState> {
  // The App travels with its AppInst; without it there is nothing to deploy.
  const appKey = appKeyJson(deps.codec, ai);
  const spec = deps.cache.get(edgeproto.AppSchema.typeName, appKey)
    ? specOf(deps, ai, true)
    : `App ${appKey} not found`;
  if (typeof spec === 'string') {
    reportError(deps, APP_INST, key, ai, TS.CREATE_ERROR, spec, { resetStatus: true });
    return TS.CREATE_ERROR;
  }
  return runOp(deps, {
    kind: APP_INST,
    key,
    obj: ai,
    verb: 'create',
    timeLimitMs: timeLimitMs(deps, APP_INST.limits.create),
    work: async (ctx) => {
      try {
        await deps.platform.createAppInst(spec, ctx);
      } catch (err) {
        if (!deps.stop.aborted) await cleanUp(deps, spec, ctx);
        throw err;
      }
      return runtimeOf(deps, spec);
    },
  });
}

/** UPDATE_REQUESTED: pre-checks, update; READY with the new runtime, or UPDATE_ERROR. */
export async function updateAppInst(
  deps: InstDeps,
  key: string,
  ai: edgeproto.AppInst,
): Promise<edgeproto.TrackedState> {
  const spec = specOf(deps, ai, true);
  if (typeof spec === 'string') {
    reportError(deps, APP_INST, key, ai, TS.UPDATE_ERROR, spec, { resetStatus: true });
    return TS.UPDATE_ERROR;
  }
  return runOp(deps, {
    kind: APP_INST,
    key,
    obj: ai,
    verb: 'update',
    timeLimitMs: timeLimitMs(deps, APP_INST.limits.update),
    work: async (ctx) => {
      await deps.platform.updateAppInst(spec, ctx);
      return runtimeOf(deps, spec);
    },
  });
}

/**
 * DELETE_REQUESTED (or a DELETING to finish): delete; DELETE_DONE or DELETE_ERROR. What the
 * platform no longer has is done at once; otherwise its cluster must still be known.
 */
export async function deleteAppInst(
  deps: InstDeps,
  key: string,
  ai: edgeproto.AppInst,
  present: boolean,
): Promise<edgeproto.TrackedState> {
  const spec = specOf(deps, ai, false);
  if (present && typeof spec === 'string') {
    reportError(deps, APP_INST, key, ai, TS.DELETE_ERROR, spec, { resetStatus: true });
    return TS.DELETE_ERROR;
  }
  return runOp(deps, {
    kind: APP_INST,
    key,
    obj: ai,
    verb: 'delete',
    timeLimitMs: timeLimitMs(deps, APP_INST.limits.delete),
    work: async (ctx) => {
      if (present && typeof spec !== 'string') await deps.platform.deleteAppInst(spec, ctx);
    },
  });
}

/** Removes what a failed create left behind, quietly and within the delete time limit. */
async function cleanUp(deps: InstDeps, spec: AppInstSpec, ctx: OpContext): Promise<void> {
  const signal = AbortSignal.any([deps.stop, AbortSignal.timeout(timeLimitMs(deps, APP_INST.limits.delete))]);
  try {
    await deps.platform.deleteAppInst(spec, {
      progress: { task: () => {}, step: () => {} },
      signal,
      log: ctx.log,
    });
  } catch (err) {
    ctx.log.warn({ err: errorText(err) }, "can't cleanup app inst");
  }
}
