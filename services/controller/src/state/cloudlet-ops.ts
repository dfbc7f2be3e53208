import { clone, create, type Message } from '@bufbuild/protobuf';
import { failedPrecondition, notFound } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { generateAccessKeyPair } from '../access';
import { validateCloudletLocation, validateNewCloudlet } from '../api/cloudlet-api';
import { resolveFieldPath } from '../crud/field-mask';
import { clearCloudletDown } from './cloudlet-alerts';
import { clearResourceAlerts, syncResourceAlerts } from './resource-alerts';
import { runTracked, type OpRun } from './run-tracked';
import type { StateDeps } from './state-deps';
import { cloudletStateCamel, ignoresCrm, ignoresTransient, isDeleteState, isTransientState } from './states';
import { applyState } from './state-txn';
import { timeoutMs } from './timeouts';
import { waitForState, type WaitSpec } from './wait-state';

const TS = edgeproto.TrackedState;
const CS = dme.CloudletState;

/** Update fields that the CRM must act on (env_var, resource_quotas, gpu_config). */
const CRM_FIELDS = new Set(['env_var', 'resource_quotas', 'gpu_config']);
/** Update fields that change the CloudletResourceUsage alerts. */
const ALERT_FIELDS = new Set(['resource_quotas', 'default_resource_alert_threshold']);

/** The wait for the cloudlet's CRM: its CloudletInfo decides, once it reported during this operation. */
function cloudletWait(
  deps: StateDeps,
  keyJson: string,
  op: string,
  update: boolean,
  key?: edgeproto.CloudletKey,
): WaitSpec {
  return {
    watchType: 'CloudletInfo',
    recordType: 'Cloudlet',
    keyJson,
    op,
    target: CS.READY,
    errorState: CS.ERRORS,
    transitions: update ? [CS.UPGRADE] : [],
    timeoutMs: timeoutMs(deps, update ? 'updateCloudletTimeout' : 'createCloudletTimeout', key),
    requireReport: true,
    stateOf: (o) => (o as edgeproto.CloudletInfo | undefined)?.state,
    errorsOf: (o) => (o as edgeproto.CloudletInfo | undefined)?.errors ?? [],
    camel: cloudletStateCamel,
    showCmd: 'ShowCloudlet',
  };
}

/** Sets the Cloudlet's state (if it still exists). */
async function setCloudletState(
  deps: StateDeps,
  holder: Message,
  state: edgeproto.TrackedState,
): Promise<void> {
  const type = deps.reg.get('Cloudlet');
  await applyState(deps, async (tx) => {
    const cur = await tx.get<edgeproto.Cloudlet>(type, holder);
    if (!cur || cur.state === state) return;
    const next = clone(edgeproto.CloudletSchema, cur);
    next.state = state;
    tx.put(type, next);
  });
}

/**
 * CreateCloudlet: validated, stored as CREATE_REQUESTED (READY with IGNORE_CRM) with a new
 * access key (public half stored, upgrade required; the private half shown to this caller
 * once, never recorded), then the CRM's progress until its CloudletInfo is READY
 * (`Created Cloudlet successfully`). On failure the error is shown, the cloudlet set to
 * CREATE_ERROR, `Deleting Cloudlet due to failures`, and it is deleted.
 */
export function createCloudlet(deps: StateDeps, req: edgeproto.Cloudlet): AsyncGenerator<string> {
  const type = deps.reg.get('Cloudlet');
  const keyJson = type.keyJson(req);
  const override = req.crmOverride;
  return runTracked(
    deps,
    'Cloudlet',
    keyJson,
    { override, cleanup: (err) => err !== undefined && !deps.cache.get(type, req) },
    async (run) => {
      const input = clone(edgeproto.CloudletSchema, req);
      validateNewCloudlet(input);
      const pair =
        input.infraApiAccess === edgeproto.InfraApiAccess.RESTRICTED_ACCESS
          ? undefined
          : generateAccessKeyPair();
      await deps.api('Cloudlet').create(input, run.ctx, (obj) => {
        const c = obj as edgeproto.Cloudlet;
        c.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
        c.state = ignoresCrm(override) ? TS.READY : TS.CREATE_REQUESTED;
        if (pair) {
          c.crmAccessPublicKey = pair.publicPem;
          c.crmAccessKeyUpgradeRequired = true;
        }
      });
      if (pair) run.direct(`CRM access key (shown once):\n${pair.privatePem}`);
      if (ignoresCrm(override)) return;
      const outcome = await waitForState(deps, cloudletWait(deps, keyJson, run.op, false));
      if (outcome.kind === 'ok') return run.send('Created Cloudlet successfully');
      if (outcome.kind === 'in-progress') return run.send(outcome.message);
      if (override === edgeproto.CRMOverride.IGNORE_CRM_ERRORS) {
        run.send(`Create Cloudlet ignoring CRM failure: ${outcome.error.message}`);
        await setCloudletState(deps, req, TS.READY);
        return run.send('Created Cloudlet successfully');
      }
      run.send(outcome.error.message);
      await setCloudletState(deps, req, TS.CREATE_ERROR);
      run.send('Deleting Cloudlet due to failures');
      try {
        await removeCloudlet(deps, req, run, { undo: true });
      } catch (undoErr) {
        deps.log.info({ err: undoErr, keyJson }, 'undo create Cloudlet failed');
      }
      throw outcome.error;
    },
  );
}

/**
 * UpdateCloudlet by field mask. Changes the CRM must apply (env_var, resource_quotas,
 * gpu_config) set UPDATE_REQUESTED and wait for its CloudletInfo READY (UPDATE_ERROR on
 * failure); all end `Cloudlet updated successfully`. Needs the CloudletInfo (`Missing
 * cloudlet info: {…}`). New quotas or alert threshold re-judge the CloudletResourceUsage
 * alerts.
 */
export function updateCloudlet(deps: StateDeps, req: edgeproto.Cloudlet): AsyncGenerator<string> {
  const type = deps.reg.get('Cloudlet');
  const keyJson = type.keyJson(req);
  const override = req.crmOverride;
  const topFields = req.fields.map((f) => resolveFieldPath(edgeproto.CloudletSchema, f)?.[0]?.name ?? '');
  const crmUpdate = !ignoresCrm(override) && topFields.some((f) => CRM_FIELDS.has(f));
  return runTracked(deps, 'Cloudlet', keyJson, { override }, async (run) => {
    const infoType = deps.reg.get('CloudletInfo');
    await deps.api('Cloudlet').update(req, async (tx, _cur, next) => {
      if (!(await tx.get(infoType, create(edgeproto.CloudletInfoSchema, { key: req.key }))))
        throw notFound(`Missing cloudlet info: ${keyJson}`);
      const n = next as edgeproto.Cloudlet;
      validateCloudletLocation(n);
      n.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
      if (crmUpdate) n.state = TS.UPDATE_REQUESTED;
    });
    if (crmUpdate) {
      const outcome = await waitForState(deps, cloudletWait(deps, keyJson, run.op, true));
      if (outcome.kind === 'in-progress') return run.send(outcome.message);
      if (outcome.kind === 'error') {
        await setCloudletState(deps, req, TS.UPDATE_ERROR);
        throw outcome.error;
      }
    }
    if (topFields.some((f) => ALERT_FIELDS.has(f))) await syncResourceAlerts(deps, req.key);
    run.send('Cloudlet updated successfully');
  });
}

/** The delete itself: checks, DELETE_PREPARE, referrers, then the object and its refs record go. */
async function removeCloudlet(
  deps: StateDeps,
  req: edgeproto.Cloudlet,
  run: OpRun,
  opts: { undo?: boolean } = {},
): Promise<void> {
  const override = req.crmOverride;
  let prev: edgeproto.TrackedState | undefined;
  await deps.api('Cloudlet').delete(req, {
    check: (_tx, cur) => {
      const c = cur as edgeproto.Cloudlet;
      if (!opts.undo && !ignoresTransient(override)) {
        if (isDeleteState(c.state)) throw failedPrecondition('Cloudlet busy, already under deletion');
        if (isTransientState(c.state)) throw failedPrecondition('Cloudlet busy, cannot be deleted');
      }
      prev = c.state;
    },
    mark: (m) => void ((m as edgeproto.Cloudlet).state = TS.DELETE_PREPARE),
    unmark: (r) => {
      const c = r as edgeproto.Cloudlet;
      if (c.state === TS.DELETE_PREPARE && prev !== undefined) c.state = prev;
    },
  });
  const refsType = deps.reg.get('CloudletRefs');
  const infoType = deps.reg.get('CloudletInfo');
  await applyState(deps, async (tx) => {
    tx.delete(refsType, create(edgeproto.CloudletRefsSchema, { key: req.key }));
    // The CloudletInfo stays while its CRM is connected (it goes when the CRM disconnects).
    const info = await tx.get<edgeproto.CloudletInfo>(
      infoType,
      create(edgeproto.CloudletInfoSchema, { key: req.key }),
    );
    if (info?.state === CS.OFFLINE) tx.delete(infoType, info);
  });
  await clearCloudletDown(deps, req.key);
  await clearResourceAlerts(deps, req.key);
  run.send('Deleted Cloudlet successfully');
}

/**
 * DeleteCloudlet: refused while busy or referred to (the generic in-use checks), then
 * removed (the platform teardown is not the Controller's here), `Deleted Cloudlet
 * successfully`; its refs record, an offline CloudletInfo and its alerts (CloudletDown,
 * CloudletResourceUsage) go too.
 */
export function deleteCloudlet(deps: StateDeps, req: edgeproto.Cloudlet): AsyncGenerator<string> {
  const type = deps.reg.get('Cloudlet');
  return runTracked(
    deps,
    'Cloudlet',
    type.keyJson(req),
    { override: req.crmOverride, cleanup: (err) => err === undefined },
    (run) => removeCloudlet(deps, req, run),
  );
}
