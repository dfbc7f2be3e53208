import { clone, create, equals } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { InstKind, TrackedInst } from './inst-kind';
import { recordReport } from './record-report';
import type { StateDeps } from './state-deps';
import { crmTransitionOk, trackedStateName } from './states';
import { applyState } from './state-txn';

const TS = edgeproto.TrackedState;

/** What AppInstInfo and ClusterInstInfo have in common. */
type InstInfo = edgeproto.AppInstInfo | edgeproto.ClusterInstInfo;

const FINAL = [TS.READY, TS.CREATE_ERROR, TS.UPDATE_ERROR, TS.DELETE_ERROR, TS.NOT_PRESENT, TS.DELETE_DONE];
const ERRORS = [TS.CREATE_ERROR, TS.UPDATE_ERROR, TS.DELETE_ERROR];
const GONE = [TS.DELETE_DONE, TS.NOT_PRESENT];

/**
 * A CRM report on an AppInst or ClusterInst (the original's `UpdateFromInfo`), applied in
 * ONE transaction with its stream record: the status messages and state go to the record;
 * the object changes only on a whitelisted transition (others are logged and ignored);
 * errors are copied on *_ERROR (cleared otherwise); for AppInst the uri, runtime info and
 * power state are copied and health becomes OK on READY if unknown; DELETE_DONE or
 * NOT_PRESENT removes the object (with its rules' onDelete).
 */
export async function applyInstInfo(deps: StateDeps, kind: InstKind, info: InstInfo): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  const keyJson = type.keyJson(info);
  const holder = create(type.schema, { key: info.key });
  await applyState(deps, async (tx) => {
    await recordReport(tx, kind.typeName, keyJson, {
      msgs: info.status?.msgs ?? [],
      state: info.state === TS.DELETE_DONE ? TS.NOT_PRESENT : info.state,
      final: FINAL.includes(info.state),
    });
    const cur = await tx.get<TrackedInst>(type, holder);
    if (!cur) return;
    const next = clone(type.schema, cur) as TrackedInst;
    if (kind.typeName === 'AppInst')
      copyAppInstFields(next as unknown as edgeproto.AppInst, info as edgeproto.AppInstInfo);
    if (cur.state !== info.state) {
      if (!crmTransitionOk(cur.state, info.state)) {
        deps.log.info(
          {
            type: kind.typeName,
            key: keyJson,
            cur: trackedStateName(cur.state),
            next: trackedStateName(info.state),
          },
          'Invalid state transition',
        );
        return;
      }
      next.state = info.state;
    }
    if (GONE.includes(info.state)) {
      await deps.api(kind.typeName).remove(tx, cur);
      return;
    }
    next.errors = ERRORS.includes(info.state) ? [...info.errors] : [];
    if (kind.typeName === 'ClusterInst' && (info as edgeproto.ClusterInstInfo).resources)
      (next as unknown as edgeproto.ClusterInst).resources = (info as edgeproto.ClusterInstInfo).resources;
    if (!equals(type.schema, cur, next)) tx.put(type, next);
  });
}

function copyAppInstFields(next: edgeproto.AppInst, info: edgeproto.AppInstInfo): void {
  if (info.powerState !== edgeproto.PowerState.POWER_STATE_UNKNOWN) next.powerState = info.powerState;
  if (info.state === TS.READY && next.healthCheck === dme.HealthCheck.UNKNOWN)
    next.healthCheck = dme.HealthCheck.OK;
  if (info.uri !== '') next.uri = info.uri;
  if (info.runtimeInfo) next.runtimeInfo = info.runtimeInfo;
}
