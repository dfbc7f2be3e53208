import { clone, create } from '@bufbuild/protobuf';
import { failedPrecondition } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { notFoundError } from '../crud/errors';
import { AsyncQueue } from './async-queue';
import { APP_INST } from './inst-kind';
import { updateInst } from './inst-update';
import type { StateDeps } from './state-deps';
import { applyState } from './state-txn';

const TS = edgeproto.TrackedState;

/** Outcome of refreshing one AppInst. */
type Refreshed = { updated: boolean } | { error: Error };

/**
 * Refresh of one AppInst (the original's `refreshAppInstInternal`): the CRM redeploys it
 * when its App has a new revision or `force`; afterwards the AppInst records the App's
 * revision. Messages go to `send`.
 */
async function refreshOne(
  deps: StateDeps,
  inst: edgeproto.AppInst,
  force: boolean,
  override: edgeproto.CRMOverride,
  send: (m: string) => void,
): Promise<Refreshed> {
  try {
    const app = deps.cache.get<edgeproto.App>(
      deps.reg.get('App'),
      create(edgeproto.AppSchema, { key: inst.key?.appKey ?? {} }),
    );
    if (!app)
      throw notFoundError(deps.reg.get('App'), create(edgeproto.AppSchema, { key: inst.key?.appKey ?? {} }));
    if (inst.state !== TS.READY && inst.state !== TS.UPDATE_ERROR)
      throw failedPrecondition(APP_INST.msgs.busy);
    if (inst.revision === app.revision && !force) return { updated: false };
    const req = clone(edgeproto.AppInstSchema, inst);
    req.crmOverride = override;
    for await (const m of updateInst(deps, APP_INST, req, { force: true })) send(m);
    await applyState(deps, async (tx) => {
      const type = deps.reg.get('AppInst');
      const cur = await tx.get<edgeproto.AppInst>(type, inst);
      if (!cur || cur.revision === app.revision) return;
      const next = clone(edgeproto.AppInstSchema, cur);
      next.revision = app.revision;
      tx.put(type, next);
    });
    return { updated: true };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/**
 * RefreshAppInst: with `update_multiple`, every AppInst of the App (matching the given
 * key fields) is refreshed in parallel with the original's summary messages (`Updating:
 * N AppInsts`, `Failed for cluster (c/o), cloudlet (c/o): …`, `Completed: …`); else the
 * one AppInst, ending `Successfully updated AppInst` or `Skipped updating AppInst`.
 */
export async function* refreshAppInst(deps: StateDeps, req: edgeproto.AppInst): AsyncGenerator<string> {
  const type = deps.reg.get('AppInst');
  const filter = clone(edgeproto.AppInstSchema, req);
  filter.forceUpdate = false;
  filter.updateMultiple = false;
  filter.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
  const single = !req.updateMultiple;
  const instances = single
    ? [deps.cache.get<edgeproto.AppInst>(type, req)].filter((x): x is edgeproto.AppInst => x !== undefined)
    : (deps.api('AppInst').show(filter) as edgeproto.AppInst[]);
  if (instances.length === 0) throw notFoundError(type, req);
  const out = new AsyncQueue<string>();
  if (!single) out.push(`Updating: ${instances.length} AppInsts`);
  const counts = { total: 0, updated: 0, skipped: 0, failed: 0 };
  const summary = (what: string): string =>
    `${what}: ${counts.total} of ${instances.length} AppInsts.  Updated: ${counts.updated} Skipped: ${counts.skipped} Failed: ${counts.failed}`;
  let singleError: Error | undefined;
  const runs = instances.map(async (inst) => {
    const r = await refreshOne(deps, inst, req.forceUpdate, req.crmOverride, (m) => out.push(m));
    counts.total++;
    if ('error' in r) {
      counts.failed++;
      if (single) singleError = r.error;
      else {
        const k = inst.key?.clusterInstKey;
        out.push(
          `Failed for cluster (${k?.clusterKey?.name ?? ''}/${k?.organization ?? ''}), cloudlet (${k?.cloudletKey?.name ?? ''}/${k?.cloudletKey?.organization ?? ''}): ${r.error.message}`,
        );
      }
    } else if (r.updated) {
      counts.updated++;
      if (single) out.push('Successfully updated AppInst');
    } else {
      counts.skipped++;
      if (single) out.push('Skipped updating AppInst');
    }
    if (!single && counts.total % 10 === 0 && counts.total !== instances.length)
      out.push(summary('Processing'));
  });
  void Promise.all(runs).then(() => {
    if (!single) out.push(summary('Completed'));
    if (singleError) out.fail(singleError);
    else out.end();
  });
  yield* out;
}
