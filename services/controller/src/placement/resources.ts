import { create } from '@bufbuild/protobuf';
import { EdgeError, Code, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { ObjectTxn } from '../crud/ports';
import { txGet, type PlacementContext } from './context';
import { platformFeatures } from './features';
import { DEPLOYMENT_DOCKER } from './names';
import { usesGpu, type ResTables } from './vmspec';

/** One VM an object needs (the original's VMResource). */
export interface VmResource {
  readonly flavor: edgeproto.FlavorInfo | undefined;
  readonly type: string;
  /** ClusterInst or AppInst (by ref key JSON) it belongs to; empty for platform VMs. */
  readonly owner: string;
}

const LB_TYPES = new Set(['dedicatedrootlb', 'sharedrootlb']);
const PLATFORM_TYPES = new Set([
  'platformvm',
  'platformhost',
  'platform-k8s-cluster-master',
  'platform-k8s-cluster-primary-node',
  'platform-k8s-cluster-secondary-node',
]);

/** The resources every platform tracks, in the order errors list them, with units. */
export const COMMON_RESOURCES: readonly [string, string][] = [
  ['RAM', 'MB'],
  ['vCPUs', ''],
  ['Disk', ''],
  ['GPUs', ''],
  ['External IPs', ''],
];

/** The VMs of a ClusterInst: masters (unless managed k8s), nodes, a dedicated root LB. */
export function clusterVms(
  ci: edgeproto.ClusterInst,
  node: edgeproto.FlavorInfo,
  master: edgeproto.FlavorInfo,
  lb: edgeproto.FlavorInfo,
  managedK8s: boolean,
  owner: string,
): VmResource[] {
  const out: VmResource[] = [];
  if (ci.deployment === DEPLOYMENT_DOCKER) out.push({ flavor: node, type: 'docker-cluster-node', owner });
  else {
    if (!managedK8s)
      for (let i = 0; i < ci.numMasters; i++)
        out.push({ flavor: ci.masterNodeFlavor ? master : node, type: 'k8s-cluster-master', owner });
    for (let i = 0; i < ci.numNodes; i++) out.push({ flavor: node, type: 'k8s-cluster-node', owner });
  }
  if (!managedK8s && ci.ipAccess === edgeproto.IpAccess.DEDICATED)
    out.push({ flavor: lb, type: 'dedicatedrootlb', owner });
  return out;
}

/** The node and master platform flavors of a ClusterInst (from CloudletInfo, else the mex flavor). */
export async function clusterFlavors(
  ctx: Pick<PlacementContext, 't'>,
  tx: ObjectTxn,
  flavors: readonly edgeproto.FlavorInfo[],
  ci: edgeproto.ClusterInst,
): Promise<{ node: edgeproto.FlavorInfo; master: edgeproto.FlavorInfo }> {
  const fromMex = async (name: string, what: string): Promise<edgeproto.FlavorInfo> => {
    const f = await txGet<edgeproto.Flavor>(tx, ctx.t.Flavor, { name });
    // the original names the master flavor in both messages
    if (!f) throw invalidArgument(`${what} flavor ${ci.masterNodeFlavor} not found`);
    return create(edgeproto.FlavorInfoSchema, { name, vcpus: f.vcpus, ram: f.ram, disk: f.disk });
  };
  const node = flavors.find((f) => f.name === ci.nodeFlavor) ?? (await fromMex(ci.nodeFlavor, 'node'));
  const master =
    flavors.find((f) => f.name === ci.masterNodeFlavor) ??
    (ci.masterNodeFlavor === '' ? node : await fromMex(ci.masterNodeFlavor, 'master node'));
  return { node, master };
}

/** The VMs of a VM AppInst: its root LB (load-balancer access) and the App VM. */
export function vmAppVms(
  app: edgeproto.App,
  inst: edgeproto.AppInst,
  flavors: readonly edgeproto.FlavorInfo[],
  lb: edgeproto.FlavorInfo,
  owner: string,
): VmResource[] {
  const vm = flavors.find((f) => f.name === inst.vmFlavor);
  if (!vm && flavors.length > 0) throw invalidArgument(`VM flavor ${inst.vmFlavor} does not exist`);
  const out: VmResource[] = [];
  if (app.accessType === edgeproto.AccessType.LOAD_BALANCER)
    out.push({ flavor: lb, type: 'dedicatedrootlb', owner });
  out.push({ flavor: vm ?? create(edgeproto.FlavorInfoSchema), type: 'appvm', owner });
  return out;
}

/** Everything already on the cloudlet, and whether the CRM's snapshot lists objects the Controller doesn't. */
async function existing(
  ctx: Pick<PlacementContext, 't'>,
  tx: ObjectTxn,
  cloudlet: edgeproto.Cloudlet,
  info: edgeproto.CloudletInfo,
  refs: edgeproto.CloudletRefs,
  lb: edgeproto.FlavorInfo,
): Promise<{ all: VmResource[]; owners: Set<string> }> {
  const all: VmResource[] = [];
  for (const vm of info.resourcesSnapshot?.platformVms ?? []) {
    const f = vm.infraFlavor ? info.flavors.find((x) => x.name === vm.infraFlavor) : undefined;
    if (f) all.push({ flavor: f, type: vm.type, owner: '' });
  }
  const managed = platformFeatures(cloudlet.platformType).kubernetesRequiresWorkerNodes;
  const owners = new Set<string>();
  for (const r of refs.clusterInsts) {
    const key = { clusterKey: r.clusterKey, cloudletKey: refs.key, organization: r.organization };
    const ci = await txGet<edgeproto.ClusterInst>(tx, ctx.t.ClusterInst, key);
    if (!ci) continue;
    const owner = `c${JSON.stringify([r.clusterKey?.name, r.organization])}`;
    owners.add(owner);
    const { node, master } = await clusterFlavors(ctx, tx, info.flavors, ci);
    all.push(...clusterVms(ci, node, master, lb, managed, owner));
  }
  for (const r of refs.vmAppInsts) {
    const key = {
      appKey: r.appKey,
      clusterInstKey: { ...r.clusterInstKey, cloudletKey: refs.key },
    };
    const inst = await txGet<edgeproto.AppInst>(tx, ctx.t.AppInst, key);
    if (!inst) continue;
    const app = await txGet<edgeproto.App>(tx, ctx.t.App, r.appKey);
    if (!app)
      throw invalidArgument(
        `App not found: ${ctx.t.App.keyJson(create(edgeproto.AppSchema, { key: r.appKey }))}`,
      );
    const owner = `a${ctx.t.AppInst.keyJson(inst)}`;
    owners.add(owner);
    all.push(...vmAppVms(app, inst, info.flavors, lb, owner));
  }
  return { all, owners };
}

/**
 * The VMs the Controller accounts to a cloudlet (the original's getAllCloudletResources):
 * `all` (platform VMs, ClusterInsts, VM AppInsts) and `diff`, those of ClusterInsts and
 * VM AppInsts the CRM's resource snapshot doesn't list yet.
 */
export async function cloudletVms(
  ctx: Pick<PlacementContext, 't'>,
  tx: ObjectTxn,
  a: {
    cloudlet: edgeproto.Cloudlet;
    info: edgeproto.CloudletInfo;
    refs: edgeproto.CloudletRefs;
    lb: edgeproto.FlavorInfo;
  },
): Promise<{ all: VmResource[]; diff: VmResource[] }> {
  const { all } = await existing(ctx, tx, a.cloudlet, a.info, a.refs, a.lb);
  const snap = a.info.resourcesSnapshot;
  const known = new Set([
    ...(snap?.clusterInsts ?? []).map((k) => `c${JSON.stringify([k.clusterKey?.name, k.organization])}`),
    ...(snap?.vmAppInsts ?? []).map(
      (k) =>
        `a${ctx.t.AppInst.keyJson(
          create(edgeproto.AppInstSchema, {
            key: {
              appKey: k.appKey,
              clusterInstKey: {
                clusterKey: k.clusterInstKey?.clusterKey,
                organization: k.clusterInstKey?.organization ?? '',
                cloudletKey: a.refs.key,
              },
            },
          }),
        )}`,
    ),
  ]);
  return { all, diff: all.filter((vm) => vm.owner !== '' && !known.has(vm.owner)) };
}

/** One common resource's use by a set of VMs, with its quota and infra limit. */
export interface ResInfo {
  value: bigint;
  infraMax: bigint;
  quotaMax: bigint;
  units: string;
}

/** Usage of the common resources by a set of VMs, with the cloudlet's quotas and infra limits. */
export function usage(
  cloudlet: edgeproto.Cloudlet,
  vms: readonly VmResource[],
  infra: ReadonlyMap<string, edgeproto.InfraResource>,
  tbls: ResTables,
): Map<string, ResInfo> {
  const out = new Map<string, ResInfo>();
  for (const [name, units] of COMMON_RESOURCES) {
    const quota = cloudlet.resourceQuotas.find((q) => q.name === name);
    out.set(name, {
      value: 0n,
      infraMax: infra.get(name)?.infraMaxValue ?? 0n,
      quotaMax: quota?.value ?? 0n,
      units,
    });
  }
  const add = (name: string, v: bigint): void => {
    const r = out.get(name);
    if (r) r.value += v;
  };
  for (const vm of vms) {
    if (!vm.flavor) continue;
    add('RAM', vm.flavor.ram);
    add('vCPUs', vm.flavor.vcpus);
    add('Disk', vm.flavor.disk);
    if (usesGpu(vm.flavor, tbls)) add('GPUs', 1n);
    if (LB_TYPES.has(vm.type) || PLATFORM_TYPES.has(vm.type)) add('External IPs', 1n);
  }
  return out;
}

const notEnough = (prefix: string, errs: string[]): EdgeError =>
  new EdgeError(Code.RESOURCE_EXHAUSTED, `${prefix}Not enough resources available: ${errs.join(', ')}`);

/**
 * The original's validateResources: the VMs `reqd` must fit into what the quotas (else
 * the infra limits) leave after everything the Controller has placed on the cloudlet;
 * then, when the CRM's resource snapshot shows nothing the Controller doesn't know,
 * into what the infra itself reports free. Refusals: `Not enough resources available:
 * required RAM is 8192MB but only 4096MB out of 8192MB is available` (`[Infra] …`).
 */
export async function validateResources(
  ctx: PlacementContext,
  tx: ObjectTxn,
  a: {
    cloudlet: edgeproto.Cloudlet;
    info: edgeproto.CloudletInfo;
    refs: edgeproto.CloudletRefs;
    tbls: ResTables;
    reqd: readonly VmResource[];
    lb: edgeproto.FlavorInfo;
  },
): Promise<void> {
  const snap = a.info.resourcesSnapshot ?? create(edgeproto.InfraResourcesSnapshotSchema);
  const infra = new Map(snap.info.map((r) => [r.name, r]));
  const { all, owners } = await existing(ctx, tx, a.cloudlet, a.info, a.refs, a.lb);
  const reqd = usage(a.cloudlet, a.reqd, infra, a.tbls);
  const used = usage(a.cloudlet, all, infra, a.tbls);
  const errs: string[] = [];
  for (const [name, r] of used) {
    const max = r.quotaMax || r.infraMax;
    if (max === 0n) continue;
    const avail = r.value > max ? 0n : max - r.value;
    const want = reqd.get(name)?.value ?? 0n;
    if (want > avail)
      errs.push(
        `required ${name} is ${want}${r.units} but only ${avail}${r.units} out of ${max}${r.units} is available`,
      );
  }
  if (errs.length) throw notEnough('', errs);
  const snapOwners = new Set([
    ...snap.clusterInsts.map((k) => `c${JSON.stringify([k.clusterKey?.name, k.organization])}`),
  ]);
  // the CRM knows of clusters the Controller doesn't: its numbers can't be reconciled
  if ([...snapOwners].some((o) => !owners.has(o))) return;
  const diff = usage(
    a.cloudlet,
    all.filter((vm) => vm.owner.startsWith('c') && !snapOwners.has(vm.owner)),
    infra,
    a.tbls,
  );
  const infraErrs: string[] = [];
  for (const r of snap.info) {
    if (r.infraMaxValue === 0n) continue;
    const want = reqd.get(r.name)?.value;
    if (want === undefined) continue;
    const value = r.value + (diff.get(r.name)?.value ?? 0n);
    const avail = r.infraMaxValue - value;
    if (want > avail)
      infraErrs.push(
        `required ${r.name} is ${want}${r.units} but only ${avail}${r.units} out of ${r.infraMaxValue}${r.units} is available`,
      );
  }
  if (infraErrs.length) throw notEnough('[Infra] ', infraErrs);
}
