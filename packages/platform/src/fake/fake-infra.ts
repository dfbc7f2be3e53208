import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { FAKE_FLAVOR_LIST, flavorUsage, type FlavorSize } from '../flavors';
import { appInstKeyJson, clusterInstKeyJson } from '../keys';
import { NODE_TYPE, addFlavor, type ComputeUsage } from '../resources';

/** Flavor of the VMs the original's fake accounts as "x1.small" (dedicated rootLBs, unknown flavors). */
const DEFAULT_FLAVOR = 'x1.small';

interface FakeCluster {
  readonly key: edgeproto.ClusterInstKey;
  readonly vms: edgeproto.VmInfo[];
}

interface FakeAppInst {
  readonly key: edgeproto.AppInstKey;
  readonly deployment: string;
  /** The VM of a VM app. */
  readonly vm: edgeproto.VmInfo | undefined;
  readonly containerIds: string[];
}

/** What the fake infrastructure holds; `FakeInfra` objects can outlive a platform object. */
export class FakeInfra {
  readonly clusters = new Map<string, FakeCluster>();
  readonly appInsts = new Map<string, FakeAppInst>();

  addCluster(ci: edgeproto.ClusterInst): void {
    const vms = [...nodeVms(ci)];
    if (ci.ipAccess === edgeproto.IpAccess.DEDICATED) {
      vms.push(vm(ci.fqdn || `${clusterVmSuffix(ci.key)}-lb`, NODE_TYPE.dedicatedRootLb, DEFAULT_FLAVOR));
    }
    this.clusters.set(clusterInstKeyJson(ci.key), { key: keyOf(ci), vms });
  }

  /** Re-sizes the cluster's nodes to the ClusterInst; other VMs (rootLB) stay. */
  updateCluster(ci: edgeproto.ClusterInst): boolean {
    const c = this.clusters.get(clusterInstKeyJson(ci.key));
    if (!c) return false;
    const others = c.vms.filter(
      (v) => v.type !== NODE_TYPE.clusterMaster && v.type !== NODE_TYPE.clusterK8sNode,
    );
    c.vms.splice(0, c.vms.length, ...nodeVms(ci), ...others);
    return true;
  }

  addAppInst(spec: {
    appInst: edgeproto.AppInst;
    app: edgeproto.App;
    clusterInst: edgeproto.ClusterInst | undefined;
  }): void {
    const { appInst, app, clusterInst } = spec;
    const isVm = app.deployment === 'vm';
    const containerIds: string[] = [];
    if (app.deployment === 'kubernetes' || app.deployment === 'helm') {
      for (let i = 0; i < (clusterInst?.numNodes ?? 0); i++) containerIds.push(`appOnClusterNode${i}`);
    }
    this.appInsts.set(appInstKeyJson(appInst.key), {
      key: appInst.key ?? create(edgeproto.AppInstKeySchema),
      deployment: app.deployment,
      vm: isVm
        ? vm(appInst.dnsLabel || app.key?.name || 'appvm', NODE_TYPE.appVm, appInst.vmFlavor)
        : undefined,
      containerIds,
    });
  }

  clusterVms(key: edgeproto.ClusterInstKey): edgeproto.VmInfo[] | undefined {
    return this.clusters.get(clusterInstKeyJson(key))?.vms;
  }

  appInst(key: edgeproto.AppInstKey | undefined): FakeAppInst | undefined {
    return this.appInsts.get(appInstKeyJson(key));
  }

  /** Every VM the infrastructure runs for clusters and VM apps (not the platform's own). */
  allVms(): edgeproto.VmInfo[] {
    const vms = [...this.clusters.values()].flatMap((c) => c.vms);
    for (const a of this.appInsts.values()) if (a.vm) vms.push(a.vm);
    return vms;
  }

  /** RAM/vCPUs/Disk of `vms` by their flavors, VM count and external IPs (dedicated rootLBs, VM apps). */
  static usage(vms: readonly edgeproto.VmInfo[]): ComputeUsage & { instances: number; externalIps: number } {
    const total = { ram: 0n, vcpus: 0n, disk: 0n, instances: 0, externalIps: 0 };
    for (const v of vms) {
      addFlavor(total, flavorUsage(fakeFlavor(v.infraFlavor)));
      total.instances++;
      if (v.type === NODE_TYPE.dedicatedRootLb || v.type === NODE_TYPE.appVm) total.externalIps++;
    }
    return total;
  }

  /** Keys for InfraResourcesSnapshot.cluster_insts / vm_app_insts / k8s_app_insts. */
  refKeys(): {
    clusters: edgeproto.ClusterInstRefKey[];
    vmApps: edgeproto.AppInstRefKey[];
    k8sApps: edgeproto.AppInstRefKey[];
  } {
    const clusterRef = (k: edgeproto.ClusterInstKey | edgeproto.VirtualClusterInstKey | undefined) =>
      create(edgeproto.ClusterInstRefKeySchema, {
        ...(k?.clusterKey ? { clusterKey: k.clusterKey } : {}),
        organization: k?.organization ?? '',
      });
    const appRef = (k: edgeproto.AppInstKey) =>
      create(edgeproto.AppInstRefKeySchema, {
        ...(k.appKey ? { appKey: k.appKey } : {}),
        clusterInstKey: clusterRef(k.clusterInstKey),
      });
    const apps = [...this.appInsts.values()];
    return {
      clusters: [...this.clusters.values()].map((c) => clusterRef(c.key)),
      vmApps: apps.filter((a) => a.vm).map((a) => appRef(a.key)),
      k8sApps: apps
        .filter((a) => a.deployment === 'kubernetes' || a.deployment === 'helm')
        .map((a) => appRef(a.key)),
    };
  }
}

/** A flavor of the fake list by name; unknown names count as x1.small, as in the original. */
export function fakeFlavor(name: string): FlavorSize {
  return (
    FAKE_FLAVOR_LIST.find((f) => f.name === name) ?? FAKE_FLAVOR_LIST.find((f) => f.name === DEFAULT_FLAVOR)!
  );
}

function keyOf(ci: edgeproto.ClusterInst): edgeproto.ClusterInstKey {
  return ci.key ?? create(edgeproto.ClusterInstKeySchema);
}

/** The original's GetCloudletClusterName: `<cluster>-<org>`, DNS-sanitized. */
function clusterVmSuffix(key: edgeproto.ClusterInstKey | undefined): string {
  return `${key?.clusterKey?.name ?? ''}-${key?.organization ?? ''}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

function nodeVms(ci: edgeproto.ClusterInst): edgeproto.VmInfo[] {
  const suffix = clusterVmSuffix(ci.key);
  const vms: edgeproto.VmInfo[] = [];
  for (let i = 1; i <= ci.numMasters; i++) {
    vms.push(vm(`fake-master-${i}-${suffix}`, NODE_TYPE.clusterMaster, ci.masterNodeFlavor));
  }
  for (let i = 1; i <= ci.numNodes; i++) {
    vms.push(vm(`fake-node-${i}-${suffix}`, NODE_TYPE.clusterK8sNode, ci.nodeFlavor));
  }
  return vms;
}

function vm(name: string, type: string, infraFlavor: string): edgeproto.VmInfo {
  return create(edgeproto.VmInfoSchema, { name, type, infraFlavor, status: 'ACTIVE' });
}
