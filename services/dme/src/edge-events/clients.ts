import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { dme } from '@edge/proto';
import type { CookieKey, Cookies } from '../auth/cookies';
import type { Found, Selector } from '../match/select';
import type { DmeTable } from '../state/dme-table';
import type { DmeInst } from '../state/model';
import { foundReply } from './find-reply';

const S = dme.ServerEdgeEvent_ServerEventType;
type EventInit = MessageInitShape<typeof dme.ServerEdgeEventSchema>;

/** Identity of an AppInst for edge events: app key JSON plus the cluster/cloudlet names. */
export function instId(
  appKey: string,
  cloudletOrg: string,
  cloudletName: string,
  clusterOrg: string,
  clusterName: string,
): string {
  return JSON.stringify([appKey, cloudletOrg, cloudletName, clusterOrg, clusterName]);
}

export const instIdOf = (i: DmeInst): string =>
  instId(i.appKey, i.cloudletOrg, i.cloudletName, i.clusterOrg, i.clusterName);

/** One open StreamEdgeEvent: a device following one AppInst. */
export interface EdgeClient {
  /** The session cookie's key as JSON (CookieKey). */
  readonly id: string;
  readonly cookieKey: CookieKey;
  /** The AppInst it follows (`instId`). */
  readonly inst: string;
  readonly appKey: string;
  readonly cloudletKey: string;
  lastLoc: dme.Loc | undefined;
  carrier: string;
  /** The last instance offered with EVENT_CLOUDLET_UPDATE, not to offer it again. */
  offered: string | undefined;
  send(ev: dme.ServerEdgeEvent): void;
}

export interface EdgeClientsDeps {
  table: DmeTable;
  selector: Selector;
  /** The cookie maker (made when the DME starts). */
  cookies: () => Cookies;
  log: Logger;
}

/**
 * The original's EdgeEventsHandler: open streams keyed by (AppInst, session cookie key), and
 * the server-initiated events to the clients of an instance, a cloudlet or an app.
 */
export class EdgeClients {
  private readonly byInst = new Map<string, Map<string, EdgeClient>>();

  constructor(private readonly d: EdgeClientsDeps) {}

  get size(): number {
    let n = 0;
    for (const m of this.byInst.values()) n += m.size;
    return n;
  }

  /** Registers `c`, replacing an older stream of the same device on the same instance. */
  add(c: EdgeClient): void {
    let m = this.byInst.get(c.inst);
    if (!m) this.byInst.set(c.inst, (m = new Map()));
    m.set(c.id, c);
  }

  /** Unregisters `c` (only if it is still the registered stream for its key). */
  remove(c: EdgeClient): void {
    const m = this.byInst.get(c.inst);
    if (m?.get(c.id) !== c) return;
    m.delete(c.id);
    if (m.size === 0) this.byInst.delete(c.inst);
  }

  /** The best usable instance for the client now (FindCloudlet with its last location and carrier). */
  best(c: Pick<EdgeClient, 'appKey' | 'carrier'>, loc: dme.Loc): Found | undefined {
    const app = this.d.table.apps.get(c.appKey);
    if (!app) return undefined;
    return this.d.selector.find(app, c.carrier, loc.latitude, loc.longitude, 1)[0];
  }

  /** EVENT_CLOUDLET_UPDATE for `c` if another instance than its own is best now (and not offered yet). */
  offerBetter(c: EdgeClient, always = false): boolean {
    if (!c.lastLoc) return false;
    const f = this.best(c, c.lastLoc);
    if (!f) return false;
    const id = instIdOf(f.inst);
    if (id === c.inst || (!always && id === c.offered)) return false;
    c.offered = id;
    c.send(this.event({ eventType: S.EVENT_CLOUDLET_UPDATE, newCloudlet: this.reply(f, c.lastLoc) }));
    return true;
  }

  /** EVENT_APPINST_HEALTH to the clients of an instance; a new cloudlet with it when unusable. */
  appInstHealth(inst: string, health: dme.HealthCheck): void {
    const usable = health === dme.HealthCheck.OK || health === dme.HealthCheck.UNKNOWN;
    this.toInst(inst, { eventType: S.EVENT_APPINST_HEALTH, healthCheck: health }, !usable);
  }

  /** EVENT_CLOUDLET_STATE to the clients of every instance on a cloudlet. */
  cloudletState(cloudletKey: string, state: dme.CloudletState): void {
    const ready = state === dme.CloudletState.READY;
    this.toCloudlet(cloudletKey, { eventType: S.EVENT_CLOUDLET_STATE, cloudletState: state }, !ready);
  }

  /** EVENT_CLOUDLET_MAINTENANCE to the clients of every instance on a cloudlet. */
  cloudletMaintenance(cloudletKey: string, state: dme.MaintenanceState): void {
    const down = state === dme.MaintenanceState.UNDER_MAINTENANCE;
    this.toCloudlet(cloudletKey, { eventType: S.EVENT_CLOUDLET_MAINTENANCE, maintenanceState: state }, down);
  }

  /**
   * EVENT_LATENCY_REQUEST to the clients of an instance (RequestAppInstLatency from the
   * Controller): they answer with latency samples. Returns how many clients were asked.
   */
  latencyRequest(inst: string): number {
    const m = this.byInst.get(inst);
    for (const c of m?.values() ?? []) this.push(c, { eventType: S.EVENT_LATENCY_REQUEST }, false);
    return m?.size ?? 0;
  }

  /**
   * An instance of `appKey` became usable (SendAvailableAppInst): every client of the app for
   * whom another instance is now best gets EVENT_CLOUDLET_UPDATE. No `appKey` = all apps.
   */
  availableInst(appKey?: string): void {
    for (const m of this.byInst.values())
      for (const c of m.values()) if (appKey === undefined || c.appKey === appKey) this.offerBetter(c);
  }

  private toInst(inst: string, ev: EventInit, withNewCloudlet: boolean): void {
    for (const c of this.byInst.get(inst)?.values() ?? []) this.push(c, ev, withNewCloudlet);
  }

  private toCloudlet(cloudletKey: string, ev: EventInit, withNewCloudlet: boolean): void {
    for (const m of this.byInst.values())
      for (const c of m.values()) if (c.cloudletKey === cloudletKey) this.push(c, ev, withNewCloudlet);
  }

  /** Sends `ev`; when the client's instance is unusable, with the best other instance in it. */
  private push(c: EdgeClient, ev: EventInit, withNewCloudlet: boolean): void {
    let newCloudlet: dme.FindCloudletReply | undefined;
    if (withNewCloudlet && c.lastLoc) {
      const f = this.best(c, c.lastLoc);
      if (f && instIdOf(f.inst) !== c.inst) {
        newCloudlet = this.reply(f, c.lastLoc);
        c.offered = instIdOf(f.inst);
      }
    }
    c.send(this.event({ ...ev, ...(newCloudlet ? { newCloudlet } : {}) }));
    this.d.log.debug({ client: c.id, eventType: ev.eventType }, 'edge event pushed');
  }

  private reply(f: Found, loc: dme.Loc): dme.FindCloudletReply {
    return foundReply(f, loc, this.d.cookies());
  }

  private event(init: EventInit): dme.ServerEdgeEvent {
    return create(dme.ServerEdgeEventSchema, init);
  }
}
