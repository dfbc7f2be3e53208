import type { Message } from '@bufbuild/protobuf';
import type { Change, ReplicaSink } from '@edge/notify';
import { dme, edgeproto } from '@edge/proto';
import { SpatialIndex } from '../match/spatial-index';
import { parseAccessPorts } from './access-ports';
import { CarrierBucket, type DmeApp, type DmeInst, type DmePolicy } from './model';

const T = {
  App: 'edgeproto.App',
  AppInst: 'edgeproto.AppInst',
  Cloudlet: 'edgeproto.Cloudlet',
  CloudletInfo: 'edgeproto.CloudletInfo',
  ClusterInst: 'edgeproto.ClusterInst',
  AutoProvPolicy: 'edgeproto.AutoProvPolicy',
  OperatorCode: 'edgeproto.OperatorCode',
  Settings: 'edgeproto.Settings',
} as const;

/** What the DME asks its Controller for (reference §3.5, DME → controller). */
export const DME_WANTS: readonly string[] = Object.values(T);

/** Free reservable ClusterInst of a cloudlet, for the auto-provisioning preference. */
export interface FreeCluster {
  readonly deployment: string;
  readonly flavor: string;
}

/**
 * The DME's replicated view (reference §4.3): raw objects as received, and the derived
 * table the selection reads — apps by key, per app carrier buckets (carrier = the AppInst's
 * cloudlet organization, plus alliance buckets), instance usability from the AppInst,
 * its Cloudlet (maintenance, alliance orgs) and CloudletInfo (state). Applied in order by
 * the notify client; pruned after a full resync.
 */
export class DmeTable implements ReplicaSink {
  readonly apps = new Map<string, DmeApp>();
  /** Operator code → operator organization. */
  readonly operatorCodes = new Map<string, string>();
  readonly policies = new Map<string, DmePolicy>();
  settings: edgeproto.Settings | undefined;

  private readonly appInsts = new Map<string, edgeproto.AppInst>();
  private readonly cloudlets = new Map<string, edgeproto.Cloudlet>();
  private readonly cloudletInfos = new Map<string, edgeproto.CloudletInfo>();
  private readonly clusterInsts = new Map<string, edgeproto.ClusterInst>();
  private readonly rawApps = new Map<string, edgeproto.App>();
  private readonly rawPolicies = new Map<string, edgeproto.AutoProvPolicy>();
  private readonly rawCodes = new Map<string, edgeproto.OperatorCode>();
  /** Instances placed in buckets, by AppInst key, with the buckets they are in. */
  private readonly placed = new Map<string, { inst: DmeInst; buckets: CarrierBucket[] }>();
  private readonly instsByCloudlet = new Map<string, Set<string>>();
  private readonly instsByApp = new Map<string, Set<string>>();
  private readonly makeIndex = (insts: DmeInst[]): SpatialIndex<DmeInst> => new SpatialIndex(insts);

  apply(change: Change): void {
    const { type, key } = change;
    const obj = change.obj as Message | undefined;
    switch (type) {
      case T.App:
        return this.setApp(key, obj as edgeproto.App | undefined);
      case T.AppInst:
        return this.setAppInst(key, obj as edgeproto.AppInst | undefined);
      case T.Cloudlet:
        setOrDelete(this.cloudlets, key, obj as edgeproto.Cloudlet | undefined);
        return this.refreshCloudlet(key);
      case T.CloudletInfo:
        setOrDelete(this.cloudletInfos, key, obj as edgeproto.CloudletInfo | undefined);
        return this.refreshCloudlet(key);
      case T.ClusterInst:
        return setOrDelete(this.clusterInsts, key, obj as edgeproto.ClusterInst | undefined);
      case T.AutoProvPolicy:
        setOrDelete(this.rawPolicies, key, obj as edgeproto.AutoProvPolicy | undefined);
        return this.setPolicy(key, obj as edgeproto.AutoProvPolicy | undefined);
      case T.OperatorCode: {
        const old = this.rawCodes.get(key);
        if (old) this.operatorCodes.delete(old.code);
        setOrDelete(this.rawCodes, key, obj as edgeproto.OperatorCode | undefined);
        const oc = obj as edgeproto.OperatorCode | undefined;
        if (oc) this.operatorCodes.set(oc.code, oc.organization);
        return;
      }
      case T.Settings:
        this.settings = obj as edgeproto.Settings | undefined;
        return;
    }
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    const drop = (type: string, keys: Iterable<string>): void => {
      if (!types.has(type)) return;
      for (const k of [...keys]) if (!keep.has(k)) this.apply({ type, key: k, rev: 0 });
    };
    drop(T.AppInst, this.appInsts.keys());
    drop(T.App, this.rawApps.keys());
    drop(T.ClusterInst, this.clusterInsts.keys());
    drop(T.CloudletInfo, this.cloudletInfos.keys());
    drop(T.Cloudlet, this.cloudlets.keys());
    drop(T.AutoProvPolicy, this.rawPolicies.keys());
    drop(T.OperatorCode, this.rawCodes.keys());
  }

  /** The AppInst as received (for edge events and debugging). */
  appInst(key: string): edgeproto.AppInst | undefined {
    return this.appInsts.get(key);
  }

  /** Number of instances placed in buckets. */
  get instCount(): number {
    return this.placed.size;
  }

  /** Whether cloudlet `cloudletKey` has a free reservable ClusterInst for this deployment/flavor. */
  hasFreeCluster(cloudletKey: string, deployment: string, flavor: string): boolean {
    for (const ci of this.clusterInsts.values()) {
      if (!ci.reservable || ci.reservedBy !== '') continue;
      if (JSON.stringify(ci.key?.cloudletKey ?? {}) !== cloudletKey) continue;
      if (clusterDeployment(deployment) !== ci.deployment) continue;
      if (flavor !== '' && ci.flavor?.name !== flavor) continue;
      return true;
    }
    return false;
  }

  private setApp(key: string, app: edgeproto.App | undefined): void {
    if (!app) {
      this.rawApps.delete(key);
      const insts = this.instsByApp.get(key);
      for (const k of insts ?? []) this.unplace(k);
      this.apps.delete(key);
      return;
    }
    this.rawApps.set(key, app);
    let a = this.apps.get(key);
    if (!a) {
      a = {
        keyJson: key,
        org: app.key?.organization ?? '',
        name: app.key?.name ?? '',
        version: app.key?.version ?? '',
        carriers: new Map(),
        authPublicKey: '',
        androidPackageName: '',
        officialFqdn: '',
        deployment: '',
        defaultFlavor: '',
        ports: [],
        policies: [],
        qosSessionProfile: dme.QosSessionProfile.QOS_NO_PRIORITY,
        qosSessionDurationS: 0,
        allIndex: undefined,
      };
      this.apps.set(key, a);
    }
    a.authPublicKey = app.authPublicKey;
    a.androidPackageName = app.androidPackageName;
    a.officialFqdn = app.officialFqdn;
    a.deployment = app.deployment;
    a.defaultFlavor = app.defaultFlavor?.name ?? '';
    a.ports = parseAccessPorts(app.accessPorts);
    const names = new Set(app.autoProvPolicies);
    if (app.autoProvPolicy) names.add(app.autoProvPolicy);
    a.policies = [...names];
    // Same numbers in edgeproto and dme; the duration is stored in nanoseconds.
    a.qosSessionProfile = app.qosSessionProfile as number as dme.QosSessionProfile;
    a.qosSessionDurationS = Number(app.qosSessionDuration / 1_000_000_000n);
    // Instances that arrived before their App (e.g. after a prune) are placed now.
    for (const k of this.instsByApp.get(key) ?? []) if (!this.placed.has(k)) this.place(k);
  }

  private setAppInst(key: string, inst: edgeproto.AppInst | undefined): void {
    const old = this.appInsts.get(key);
    if (old) {
      this.unplace(key);
      const ck = cloudletKeyOf(old);
      this.instsByCloudlet.get(ck)?.delete(key);
      this.instsByApp.get(appKeyOf(old))?.delete(key);
    }
    if (!inst) {
      this.appInsts.delete(key);
      return;
    }
    this.appInsts.set(key, inst);
    addTo(this.instsByCloudlet, cloudletKeyOf(inst), key);
    addTo(this.instsByApp, appKeyOf(inst), key);
    this.place(key);
  }

  /** Re-derives every instance of a cloudlet after its Cloudlet or CloudletInfo changed. */
  private refreshCloudlet(cloudletKey: string): void {
    for (const k of this.instsByCloudlet.get(cloudletKey) ?? []) {
      this.unplace(k);
      this.place(k);
    }
  }

  private place(key: string): void {
    const ai = this.appInsts.get(key);
    if (!ai) return;
    const app = this.apps.get(appKeyOf(ai));
    if (!app) return;
    const ck = cloudletKeyOf(ai);
    const cloudlet = this.cloudlets.get(ck);
    const info = this.cloudletInfos.get(ck);
    const vk = ai.key?.clusterInstKey;
    const cloudletOrg = vk?.cloudletKey?.organization ?? '';
    const loc = ai.cloudletLoc;
    const inst: DmeInst = {
      key,
      appKey: app.keyJson,
      cloudletKey: ck,
      cloudletOrg,
      cloudletName: vk?.cloudletKey?.name ?? '',
      clusterOrg: vk?.organization ?? '',
      clusterName: vk?.clusterKey?.name ?? '',
      uri: ai.uri,
      lat: loc?.latitude ?? 0,
      lon: loc?.longitude ?? 0,
      location: loc,
      ports: ai.mappedPorts,
      usable: isUsable(ai, cloudlet, info),
    };
    const buckets = [this.bucket(app, cloudletOrg)];
    buckets[0]!.insts.set(key, inst);
    for (const org of cloudlet?.allianceOrgs ?? []) {
      const b = this.bucket(app, org);
      b.alliance.set(key, inst);
      buckets.push(b);
    }
    for (const b of buckets) b.touch();
    app.allIndex = undefined;
    this.placed.set(key, { inst, buckets });
  }

  private unplace(key: string): void {
    const p = this.placed.get(key);
    if (!p) return;
    this.placed.delete(key);
    const app = this.apps.get(p.inst.appKey);
    if (app) app.allIndex = undefined;
    for (const b of p.buckets) {
      b.insts.delete(key);
      b.alliance.delete(key);
      b.touch();
      if (b.empty && app?.carriers.get(b.carrier) === b) app.carriers.delete(b.carrier);
    }
  }

  private bucket(app: DmeApp, carrier: string): CarrierBucket {
    let b = app.carriers.get(carrier);
    if (!b) {
      b = new CarrierBucket(carrier, this.makeIndex);
      app.carriers.set(carrier, b);
    }
    return b;
  }

  private setPolicy(key: string, p: edgeproto.AutoProvPolicy | undefined): void {
    if (!p) {
      this.policies.delete(key);
      return;
    }
    const cloudlets: DmePolicy['cloudlets'] = new Map();
    for (const c of p.cloudlets) {
      const org = c.key?.organization ?? '';
      const list = cloudlets.get(org) ?? [];
      list.push({
        key: { organization: org, name: c.key?.name ?? '' },
        lat: c.loc?.latitude ?? 0,
        lon: c.loc?.longitude ?? 0,
      });
      cloudlets.set(org, list);
    }
    this.policies.set(key, {
      keyJson: key,
      name: p.key?.name ?? '',
      deployClientCount: p.deployClientCount,
      intervalCount: p.deployIntervalCount,
      cloudlets,
    });
  }
}

/** The original's IsAppInstUsable over the AppInst and its cloudlet's state. */
export function isUsable(
  ai: edgeproto.AppInst,
  cloudlet: edgeproto.Cloudlet | undefined,
  info: edgeproto.CloudletInfo | undefined,
): boolean {
  if (ai.state !== edgeproto.TrackedState.READY) return false;
  const under = dme.MaintenanceState.UNDER_MAINTENANCE;
  if (cloudlet?.maintenanceState === under || info?.maintenanceState === under) return false;
  if (!cloudlet || info?.state !== dme.CloudletState.READY) return false;
  return ai.healthCheck === dme.HealthCheck.OK || ai.healthCheck === dme.HealthCheck.UNKNOWN;
}

/** The ClusterInst deployment an app deployment runs on (cloudcommon.AppInstToClusterDeployment). */
function clusterDeployment(appDeployment: string): string {
  return appDeployment === 'helm' ? 'kubernetes' : appDeployment;
}

const cloudletKeyOf = (ai: edgeproto.AppInst): string => {
  const c = ai.key?.clusterInstKey?.cloudletKey;
  return JSON.stringify({ organization: c?.organization ?? '', name: c?.name ?? '' });
};
const appKeyOf = (ai: edgeproto.AppInst): string => {
  const a = ai.key?.appKey;
  return JSON.stringify({
    organization: a?.organization ?? '',
    name: a?.name ?? '',
    version: a?.version ?? '',
  });
};

function setOrDelete<V>(m: Map<string, V>, key: string, v: V | undefined): void {
  if (v === undefined) m.delete(key);
  else m.set(key, v);
}

function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
