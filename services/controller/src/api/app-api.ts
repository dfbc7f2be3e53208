import { create, type DescField } from '@bufbuild/protobuf';
import { failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { editObject } from '../crud/edit';
import { beingDeletedError, notFoundError } from '../crud/errors';
import { fieldDisplayName } from '../crud/field-mask';
import type { ObjectRules } from '../crud/object-api';
import type { ObjectTxn } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';
import { dockerDeployType, validateApp, validateAutoDeployApp } from '../placement/app-validate';
import { holder, txGet, type PlacementContext } from '../placement/context';

type App = edgeproto.App;

const IN_USE_CANNOT_UPDATE = new Set(['access_ports', 'skip_hc_ports', 'deployment', 'deployment_generator']);
const CAN_ALWAYS_UPDATE = new Set(['trusted', 'vm_app_os_type']);

/** Serverless sizing defaults from the default flavor (the original's configureApp). */
async function serverlessDefaults(ctx: PlacementContext, tx: ObjectTxn, app: App): Promise<void> {
  if (!app.allowServerless) {
    delete app.serverlessConfig;
    return;
  }
  const flavor = await txGet<edgeproto.Flavor>(tx, ctx.t.Flavor, app.defaultFlavor);
  const cfg = app.serverlessConfig ?? create(edgeproto.ServerlessConfigSchema);
  cfg.vcpus ??= create(edgeproto.Udec64Schema);
  if (cfg.vcpus.whole === 0n && cfg.vcpus.nanos === 0) cfg.vcpus.whole = flavor?.vcpus ?? 0n;
  if (cfg.ram === 0n) cfg.ram = flavor?.ram ?? 0n;
  if (cfg.vcpus.nanos % 1_000_000 !== 0)
    throw invalidArgument('Serverless config vcpus cannot have precision less than 0.001');
  if (cfg.minReplicas === 0) cfg.minReplicas = 1;
  app.serverlessConfig = cfg;
}

/** Policies named by the App exist (generic reference check) and suit auto-provisioning. */
function checkPolicies(app: App): void {
  if (app.autoProvPolicies.length > 0 || app.autoProvPolicy !== '') validateAutoDeployApp(app);
}

function androidPackageConflict(ctx: PlacementContext, app: App): void {
  if (app.androidPackageName === '') return;
  const clash = ctx.deps.cache
    .list<App>(ctx.t.App)
    .some(
      (a) =>
        a.androidPackageName === app.androidPackageName &&
        (a.key?.organization !== app.key?.organization || a.key?.name !== app.key?.name),
    );
  if (clash) throw invalidArgument(`AndroidPackageName: ${app.androidPackageName} in use by another App`);
}

/** The original's UpdateApp restrictions while AppInsts of the App exist. */
function checkUpdateInUse(cur: App, next: App, changed: readonly (readonly DescField[])[]): void {
  const names = changed.map((p) => p[0]?.name ?? '');
  const k8sLike = ['kubernetes', 'docker', 'helm'].includes(cur.deployment);
  if (!k8sLike) {
    const i = names.findIndex((n) => !CAN_ALWAYS_UPDATE.has(n));
    if (i >= 0)
      throw failedPrecondition(
        `Update App field ${fieldDisplayName(changed[i] ?? [])} not supported for deployment: ${cur.deployment} when AppInsts exist`,
      );
  }
  const j = names.findIndex((n) => IN_USE_CANNOT_UPDATE.has(n));
  if (j >= 0)
    throw failedPrecondition(`Cannot update ${fieldDisplayName(changed[j] ?? [])} when AppInst exists`);
  if (cur.deployment === 'docker') {
    const from = dockerDeployType(cur.deploymentManifest);
    const to = dockerDeployType(next.deploymentManifest);
    if (from !== to)
      throw failedPrecondition(`Cannot change App manifest from : ${from} to: ${to} when AppInsts exist`);
  }
}

/**
 * App rules: the original's configureApp checks and defaults, update restrictions while
 * AppInsts exist (by AppInstRefs), the AppInstRefs record kept with the App. Deleting an
 * App with AppInsts is refused by the generic in-use check (`Application in use by
 * static AppInst …`).
 */
export function appRules(ctx: PlacementContext): ObjectRules<App> {
  const t = ctx.t;
  return {
    validate(app, op) {
      if (op === 'create') androidPackageConflict(ctx, app);
      validateApp(app);
      checkPolicies(app);
    },
    async onCreate(tx, app) {
      await serverlessDefaults(ctx, tx, app);
      tx.put(t.AppInstRefs, create(edgeproto.AppInstRefsSchema, { key: app.key }));
    },
    async onUpdate(tx, cur, next, changed) {
      const refs = await txGet<edgeproto.AppInstRefs>(tx, t.AppInstRefs, cur.key);
      if (refs && Object.keys(refs.insts).length > 0) checkUpdateInUse(cur, next, changed);
      const names = new Set(changed.map((p) => p[0]?.name));
      if (
        names.has('access_ports') &&
        !names.has('deployment_manifest') &&
        cur.deploymentGenerator === '' &&
        cur.deployment === 'kubernetes'
      )
        throw invalidArgument(
          'kubernetes manifest which was previously specified must be provided again when changing access ports',
        );
      if (names.has('deployment_manifest')) next.deploymentGenerator = '';
      if (next.qosSessionProfile === edgeproto.QosSessionProfile.QOS_NO_PRIORITY)
        next.qosSessionDuration = 0n;
      await serverlessDefaults(ctx, tx, next);
    },
    async onDelete(tx, app) {
      if (await txGet(tx, t.AppInstRefs, app.key)) tx.delete(t.AppInstRefs, holder(t.AppInstRefs, app.key));
    },
  };
}

/** Add/RemoveAppAutoProvPolicy and Add/RemoveAppAlertPolicy, with the original's messages. */
export function appHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  const t = ctx.t;
  const edit = (
    key: edgeproto.AppKey | undefined,
    fn: (app: App, tx: ObjectTxn) => Promise<boolean | void> | boolean | void,
  ) => editObject<App>(ctx.deps.store, t.App, holder(t.App, key), fn);
  const policyExists = async (tx: ObjectTxn, type: typeof t.App, app: App, name: string): Promise<void> => {
    const key = { organization: app.key?.organization ?? '', name };
    const p = await txGet<edgeproto.AlertPolicy | edgeproto.AutoProvPolicy>(tx, type, key);
    if (!p) throw notFoundError(type, holder(type, key));
    if (p.deletePrepare) throw beingDeletedError(type, p);
  };
  const alertType = ctx.deps.reg.get('AlertPolicy');
  return {
    AddAppAutoProvPolicy: async (req: edgeproto.AppAutoProvPolicy) => {
      await edit(req.appKey, async (app, tx) => {
        if (app.autoProvPolicies.includes(req.autoProvPolicy))
          throw failedPrecondition(`AutoProvPolicy ${req.autoProvPolicy} already on App`);
        app.autoProvPolicies.push(req.autoProvPolicy);
        for (const name of app.autoProvPolicies) await policyExists(tx, t.AutoProvPolicy, app, name);
        validateAutoDeployApp(app);
      });
      return {};
    },
    RemoveAppAutoProvPolicy: async (req: edgeproto.AppAutoProvPolicy) => {
      await edit(req.appKey, (app) => {
        const i = app.autoProvPolicies.indexOf(req.autoProvPolicy);
        if (i >= 0) app.autoProvPolicies.splice(i, 1);
        const legacy = app.autoProvPolicy === req.autoProvPolicy;
        if (legacy) app.autoProvPolicy = '';
        return i >= 0 || legacy;
      });
      return {};
    },
    AddAppAlertPolicy: async (req: edgeproto.AppAlertPolicy) => {
      await edit(req.appKey, async (app, tx) => {
        if (app.alertPolicies.includes(req.alertPolicy))
          throw failedPrecondition(`Alert ${req.alertPolicy} already monitored on App`);
        app.alertPolicies.push(req.alertPolicy);
        for (const name of app.alertPolicies) await policyExists(tx, alertType, app, name);
      });
      return {};
    },
    RemoveAppAlertPolicy: async (req: edgeproto.AppAlertPolicy) => {
      await edit(req.appKey, (app) => {
        const i = app.alertPolicies.indexOf(req.alertPolicy);
        if (i < 0) throw notFoundError(alertType, create(edgeproto.AlertPolicySchema));
        app.alertPolicies.splice(i, 1);
      });
      return {};
    },
  };
}
