import type { dme } from '@edge/proto';
import type { SpatialIndex } from '../match/spatial-index';

/** One AppInst as the DME serves it (the original's DmeAppInst). */
export interface DmeInst {
  /** AppInst key JSON: identity and the tie-break of equal distances. */
  readonly key: string;
  readonly appKey: string;
  readonly cloudletKey: string;
  readonly cloudletOrg: string;
  readonly cloudletName: string;
  readonly clusterOrg: string;
  readonly clusterName: string;
  uri: string;
  lat: number;
  lon: number;
  location: dme.Loc | undefined;
  ports: dme.AppPort[];
  /** Usable (READY, cloudlet READY, not under maintenance, health OK/UNKNOWN). */
  usable: boolean;
}

/** Instances of one app under one carrier (the original's DmeAppInsts). */
export class CarrierBucket {
  readonly insts = new Map<string, DmeInst>();
  /** Instances of other operators' cloudlets that name this carrier an alliance org. */
  readonly alliance = new Map<string, DmeInst>();
  private instIndex: SpatialIndex<DmeInst> | undefined;
  private allianceIndex: SpatialIndex<DmeInst> | undefined;

  constructor(
    readonly carrier: string,
    private readonly makeIndex: (insts: DmeInst[]) => SpatialIndex<DmeInst>,
  ) {}

  /** Marks the indexes stale (membership or usability changed). */
  touch(): void {
    this.instIndex = undefined;
    this.allianceIndex = undefined;
  }

  get empty(): boolean {
    return this.insts.size === 0 && this.alliance.size === 0;
  }

  /** Spatial index of the usable own instances (rebuilt after a change). */
  index(): SpatialIndex<DmeInst> {
    return (this.instIndex ??= this.makeIndex(usable(this.insts)));
  }

  /** Spatial index of the usable alliance instances. */
  allianceIdx(): SpatialIndex<DmeInst> {
    return (this.allianceIndex ??= this.makeIndex(usable(this.alliance)));
  }
}

function usable(m: Map<string, DmeInst>): DmeInst[] {
  const out: DmeInst[] = [];
  for (const i of m.values()) if (i.usable) out.push(i);
  return out;
}

/** An auto-provisioning policy as the selection uses it. */
export interface DmePolicy {
  readonly keyJson: string;
  readonly name: string;
  readonly deployClientCount: number;
  readonly intervalCount: number;
  /** Policy cloudlets by carrier (cloudlet organization). */
  readonly cloudlets: Map<
    string,
    { key: { organization: string; name: string }; lat: number; lon: number }[]
  >;
}

/** One App (the original's DmeApp). */
export interface DmeApp {
  readonly keyJson: string;
  readonly org: string;
  readonly name: string;
  readonly version: string;
  readonly carriers: Map<string, CarrierBucket>;
  authPublicKey: string;
  androidPackageName: string;
  officialFqdn: string;
  deployment: string;
  defaultFlavor: string;
  ports: dme.AppPort[];
  /** Names of its auto-provisioning policies (of the app's organization). */
  policies: string[];
  /** QoS priority session FindCloudlet creates for a device (QOS_NO_PRIORITY: none). */
  qosSessionProfile: dme.QosSessionProfile;
  /** Its duration in seconds; 0 = the default (24 h). */
  qosSessionDurationS: number;
  /** Index of the usable own instances of every carrier (empty-carrier requests); rebuilt after a change. */
  allIndex: SpatialIndex<DmeInst> | undefined;
}
