import type { Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { Change, ConnectionInfo, ReplicaSink } from '@edge/notify';
import { dme, type edgeproto } from '@edge/proto';
import type { DmeTable } from '../state/dme-table';
import { instId, type EdgeClients } from './clients';

const NORMAL = dme.MaintenanceState.NORMAL_OPERATION;

/** The one-shot message the DME takes from its Controller: a latency request for an AppInst. */
export const LATENCY_REQUEST = 'edgeproto.AppInstLatency';

/**
 * A ReplicaSink in front of the DmeTable that applies every change unchanged and then tells
 * the edge-events clients what it meant (reference §4.3): AppInst health changes →
 * EVENT_APPINST_HEALTH; a newly usable instance → EVENT_CLOUDLET_UPDATE where it is now best;
 * cloudlet state (CloudletInfo) → EVENT_CLOUDLET_STATE; maintenance (Cloudlet or CloudletInfo)
 * → EVENT_CLOUDLET_MAINTENANCE. Objects seen for the first time push nothing. A latency
 * request message (RequestAppInstLatency) → EVENT_LATENCY_REQUEST to that instance's clients.
 */
export class EdgeEventsTableWatcher implements ReplicaSink {
  private readonly cloudletState = new Map<string, dme.CloudletState>();
  private readonly maintenance = new Map<string, { cloudlet: number; info: number }>();

  constructor(
    private readonly table: DmeTable,
    private readonly clients: EdgeClients,
    private readonly log?: Logger,
  ) {}

  message(type: string, msg: Message): void {
    if (type !== LATENCY_REQUEST) return;
    const k = (msg as edgeproto.AppInstLatency).key;
    const ck = k?.clusterInstKey;
    const id = instId(
      JSON.stringify({
        organization: k?.appKey?.organization ?? '',
        name: k?.appKey?.name ?? '',
        version: k?.appKey?.version ?? '',
      }),
      ck?.cloudletKey?.organization ?? '',
      ck?.cloudletKey?.name ?? '',
      ck?.organization ?? '',
      ck?.clusterKey?.name ?? '',
    );
    const asked = this.clients.latencyRequest(id);
    this.log?.info({ appInst: k, clients: asked }, 'latency requested from edge-events clients');
  }

  apply(change: Change, connection: ConnectionInfo): void {
    switch (change.type) {
      case 'edgeproto.AppInst':
        return this.appInst(change, connection);
      case 'edgeproto.Cloudlet':
        return this.cloudlet(
          change,
          connection,
          'cloudlet',
          (change.obj as edgeproto.Cloudlet | undefined)?.maintenanceState,
        );
      case 'edgeproto.CloudletInfo':
        return this.cloudletInfo(change, connection);
      default:
        return this.table.apply(change);
    }
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    this.table.prune(types, keep);
    for (const m of [this.cloudletState, this.maintenance])
      for (const k of [...m.keys()]) if (!keep.has(k)) m.delete(k);
  }

  private appInst(change: Change, _c: ConnectionInfo): void {
    const old = this.table.appInst(change.key);
    const wasUsable = this.usable(change.key);
    this.table.apply(change);
    const now = change.obj as edgeproto.AppInst | undefined;
    if (!now) return;
    const appKey = appKeyJson(now);
    if (old && old.healthCheck !== now.healthCheck) {
      const k = now.key?.clusterInstKey;
      const id = instId(
        appKey,
        k?.cloudletKey?.organization ?? '',
        k?.cloudletKey?.name ?? '',
        k?.organization ?? '',
        k?.clusterKey?.name ?? '',
      );
      this.clients.appInstHealth(id, now.healthCheck);
    }
    if (!wasUsable && this.usable(change.key)) this.clients.availableInst(appKey);
  }

  private cloudlet(
    change: Change,
    _c: ConnectionInfo,
    from: 'cloudlet' | 'info',
    m: number | undefined,
  ): void {
    this.table.apply(change);
    const prev = this.maintenance.get(change.key);
    const next = { cloudlet: prev?.cloudlet ?? NORMAL, info: prev?.info ?? NORMAL };
    next[from] = m ?? NORMAL;
    this.maintenance.set(change.key, next);
    if (prev && prev[from] !== next[from]) {
      this.clients.cloudletMaintenance(change.key, next[from]);
      if (next[from] !== dme.MaintenanceState.UNDER_MAINTENANCE) this.clients.availableInst();
    }
  }

  private cloudletInfo(change: Change, c: ConnectionInfo): void {
    const info = change.obj as edgeproto.CloudletInfo | undefined;
    this.cloudlet(change, c, 'info', info?.maintenanceState);
    if (!info) return;
    const prev = this.cloudletState.get(change.key);
    this.cloudletState.set(change.key, info.state);
    if (prev !== undefined && prev !== info.state) {
      this.clients.cloudletState(change.key, info.state);
      if (info.state === dme.CloudletState.READY) this.clients.availableInst();
    }
  }

  /** Whether the instance is placed and usable in the table right now. */
  private usable(key: string): boolean {
    const ai = this.table.appInst(key);
    if (!ai) return false;
    const org = ai.key?.clusterInstKey?.cloudletKey?.organization ?? '';
    return this.table.apps.get(appKeyJson(ai))?.carriers.get(org)?.insts.get(key)?.usable ?? false;
  }
}

const appKeyJson = (ai: edgeproto.AppInst): string =>
  JSON.stringify({
    organization: ai.key?.appKey?.organization ?? '',
    name: ai.key?.appKey?.name ?? '',
    version: ai.key?.appKey?.version ?? '',
  });
