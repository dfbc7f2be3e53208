import { create } from '@bufbuild/protobuf';
import type { Platform } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import { diffKeys, type ReconcileFn } from '@edge/reconcile';
import { appKeyJson, realClusterKeyJson } from './app-keys';
import { createAppInst, deleteAppInst, updateAppInst } from './appinst-ops';
import { createClusterInst, deleteClusterInst, updateClusterInst } from './cluster-ops';
import { timeLimitMs, type InstDeps } from './inst-deps';
import { APP_INST, CLUSTER_INST, KINDS, type InstKind } from './kinds';
import { reportError } from './op-runner';
import { trackedStateCamel } from './status';

const TS = edgeproto.TrackedState;
type Inst = edgeproto.ClusterInst | edgeproto.AppInst;

/** The reconciler key of an instance: `<Kind>|<key JSON>`. */
export function instId(kind: InstKind, key: string): string {
  return `${kind.name}|${key}`;
}

function parseId(id: string): { kind: InstKind; key: string } {
  const bar = id.indexOf('|');
  const kind = KINDS.find((k) => k.name === id.slice(0, bar));
  if (!kind) throw new Error(`not an instance key: ${id}`);
  return { kind, key: id.slice(bar + 1) };
}

/** What the CRM remembers of an instance while this process runs. */
interface InstRecord {
  /**
   * The desired state last acted upon, or the state this CRM reported at the end of its
   * last operation (the state the Controller is about to set): the CRM acts on changes of
   * the desired state, as the original does on `old.State != new.State`, and this is "old".
   * Undefined after a start: everything is new then.
   */
  lastSeen: edgeproto.TrackedState | undefined;
  /** The last desired object, to delete it from the platform when it disappears. */
  lastObj: Inst;
}

/** The "inconsistent Controller vs CRM state" error of the original. */
export const INCONSISTENT = 'inconsistent Controller vs CRM state';

/**
 * The reconcile function of ClusterInsts and AppInsts (keys from {@link instId}).
 *
 * The desired object (what the Controller sent) is compared with what this CRM last acted
 * on and what it reported (its info), and with what the platform has:
 * - CREATE_REQUESTED / UPDATE_REQUESTED / DELETE_REQUESTED run the operation (reported as
 *   *ING → READY / DELETE_DONE / *_ERROR with the original's status messages). A
 *   DELETE_REQUESTED of something the platform no longer has goes straight to DELETE_DONE.
 * - READY seen first (a start) is recorded as READY without acting.
 * - CREATING / UPDATING without this process having reported that operation (the CRM
 *   restarted in the middle of it, the original's `*InfoCheckState`) become CREATE_ERROR /
 *   UPDATE_ERROR `inconsistent Controller vs CRM state`: a half-made instance is not
 *   trusted; the Controller undoes a failed create by removing the object, and the
 *   removal deletes whatever the platform has of it (below).
 * - DELETING without a delete of this process: the delete is finished (deletes are
 *   idempotent), ending DELETE_DONE, so an interrupted delete never leaves the object
 *   stuck nor a leftover on the platform.
 * - An instance gone from the desired state (deleted, or pruned after a full resync) that
 *   the platform still has is deleted from the platform: nothing leaks. The same runs for
 *   everything the platform has that the desired state does not know after the first
 *   sync of a start ({@link leftoverIds}).
 * Failures of these platform calls are retried by the reconciler with backoff.
 */
export function instReconcile(shared: Omit<InstDeps, 'stop'>): ReconcileFn {
  const records = new Map<string, InstRecord>();
  return async (id, signal) => {
    // Operations stop with the reconciler, and then report nothing.
    const deps: InstDeps = { ...shared, stop: signal };
    const { kind, key } = parseId(id);
    const obj = deps.cache.get<Inst>(kind.type, key);
    if (!obj) {
      const last = records.get(id)?.lastObj;
      records.delete(id);
      return removeLeftover(deps, kind, key, last);
    }
    let rec = records.get(id);
    if (!rec) records.set(id, (rec = { lastSeen: undefined, lastObj: obj }));
    rec.lastObj = obj;
    const prev = rec.lastSeen;
    if (prev === obj.state) return;
    rec.lastSeen = obj.state;
    const reported = await act(deps, kind, key, obj, prev);
    if (reported !== undefined) rec.lastSeen = reported;
  };
}

async function act(
  deps: InstDeps,
  kind: InstKind,
  key: string,
  obj: Inst,
  prev: edgeproto.TrackedState | undefined,
): Promise<edgeproto.TrackedState | undefined> {
  const isApp = kind === APP_INST;
  const ai = obj as edgeproto.AppInst;
  const ci = obj as edgeproto.ClusterInst;
  switch (obj.state) {
    case TS.READY:
      if (prev === undefined && deps.infos.get(kind, key)?.state !== TS.READY) {
        deps.infos.modify(kind, key, kind.newInfo(obj), (i) => (i.state = TS.READY));
      }
      return undefined;
    case TS.CREATE_REQUESTED:
      return isApp ? createAppInst(deps, key, ai) : createClusterInst(deps, key, ci);
    case TS.UPDATE_REQUESTED:
      return isApp ? updateAppInst(deps, key, ai) : updateClusterInst(deps, key, ci);
    case TS.DELETE_REQUESTED: {
      const present = await hasOnPlatform(deps.platform, kind, key);
      return isApp ? deleteAppInst(deps, key, ai, present) : deleteClusterInst(deps, key, ci, present);
    }
    case TS.CREATING:
      return checkState(deps, kind, key, obj, TS.CREATING, TS.CREATE_ERROR);
    case TS.UPDATING:
      return checkState(deps, kind, key, obj, TS.UPDATING, TS.UPDATE_ERROR);
    case TS.DELETING: {
      const mine = deps.infos.get(kind, key)?.state;
      if (mine === TS.DELETING || mine === TS.DELETE_DONE) return undefined;
      deps.log.info({ [kind.name]: key }, 'finishing a delete this CRM did not see end');
      const present = await hasOnPlatform(deps.platform, kind, key);
      return isApp ? deleteAppInst(deps, key, ai, present) : deleteClusterInst(deps, key, ci, present);
    }
    default:
      return undefined;
  }
}

/**
 * The Controller thinks an operation is running (CREATING / UPDATING): fine when this CRM
 * runs or ran it (its info is in that state, READY, or the error state); otherwise the
 * error state with `inconsistent Controller vs CRM state`.
 */
function checkState(
  deps: InstDeps,
  kind: InstKind,
  key: string,
  obj: Inst,
  running: edgeproto.TrackedState,
  failed: edgeproto.TrackedState,
): edgeproto.TrackedState | undefined {
  const mine = deps.infos.get(kind, key);
  if (mine && (mine.state === running || mine.state === TS.READY || mine.state === failed)) return undefined;
  deps.log.info(
    {
      [kind.name]: key,
      controller: trackedStateCamel(running),
      crm: mine ? trackedStateCamel(mine.state) : 'none',
    },
    INCONSISTENT,
  );
  reportError(deps, kind, key, obj, failed, INCONSISTENT, { appendError: true });
  return failed;
}

async function hasOnPlatform(platform: Platform, kind: InstKind, key: string): Promise<boolean> {
  return (await kind.list(platform)).includes(key);
}

/** The instance is not desired (any more): forget its info; delete what the platform has of it. */
async function removeLeftover(
  deps: InstDeps,
  kind: InstKind,
  key: string,
  last: Inst | undefined,
): Promise<void> {
  deps.infos.delete(kind, key);
  if (!(await hasOnPlatform(deps.platform, kind, key))) return;
  const obj = last ?? (deps.codec.keyOnly(kind.type, key) as Inst);
  const log = deps.log.child({ [kind.name]: key });
  log.info('deleting from the platform what is no longer desired');
  const signal = AbortSignal.any([deps.stop, AbortSignal.timeout(timeLimitMs(deps, kind.limits.delete))]);
  const ctx = { progress: { task: () => {}, step: () => {} }, signal, log };
  deps.resources.begin();
  try {
    if (kind === CLUSTER_INST) {
      await deps.platform.deleteClusterInst(obj as edgeproto.ClusterInst, ctx);
    } else {
      const ai = obj as edgeproto.AppInst;
      const app =
        deps.cache.get<edgeproto.App>(edgeproto.AppSchema.typeName, appKeyJson(deps.codec, ai)) ??
        create(edgeproto.AppSchema, { key: ai.key?.appKey });
      const clusterInst = deps.cache.get<edgeproto.ClusterInst>(
        edgeproto.ClusterInstSchema.typeName,
        realClusterKeyJson(deps.codec, ai),
      );
      await deps.platform.deleteAppInst({ appInst: ai, app, clusterInst, flavor: undefined }, ctx);
    }
    log.info('deleted from the platform');
  } finally {
    deps.resources.end();
  }
}

/**
 * Reconciler keys of everything the platform has that the desired state does not (after
 * the first full sync of a start: e.g. an instance the Controller deleted while this CRM
 * was down and whose removal it never saw). AppInsts come first.
 */
export async function leftoverIds(deps: Pick<InstDeps, 'platform' | 'cache'>): Promise<string[]> {
  const out: string[] = [];
  for (const kind of KINDS) {
    const { extra } = diffKeys(deps.cache.keys(kind.type), await kind.list(deps.platform));
    out.push(...extra.map((key) => instId(kind, key)));
  }
  return out;
}
