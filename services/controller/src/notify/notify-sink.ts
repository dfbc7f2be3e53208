import { clone, create, type DescField, type Message } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import type { Change, ConnectionInfo, ReplicaSink } from '@edge/notify';
import { edgeproto, type ObjectRegistry, type ObjectType } from '@edge/proto';
import type { CacheView, ObjectStorePort } from '../crud/ports';
import type { CrmIntake } from '../state';
import { CLOUDLET, objectOfKey } from './cloudlet-scope';

/** What the sink needs of the Controller. */
export interface NotifySinkDeps {
  readonly reg: ObjectRegistry;
  /** Where CRM reports go (`crmIntake(deps)`). */
  readonly intake: CrmIntake;
  /** Writes of stored info objects (Alert, AutoProvInfo). */
  readonly store: ObjectStorePort;
  /** Reads of what is stored (who owns a CloudletInfo or Alert now). */
  readonly cache: CacheView;
  /** This Controller's identity, stamped into info objects (`controller` field); e.g. its API address. */
  readonly controllerId: string;
  /** Metric messages from children (the Controller's `recordMetric`). */
  readonly onMetric?: (metric: edgeproto.Metric) => void;
  /**
   * After a stored info object (Alert, …) was written (`present`) or removed by a child's
   * delete or flush; e.g. AppInstDown → AppInst health (`appInstHealthFromAlerts`).
   */
  readonly onStoredInfo?: (typeName: string, obj: Message, present: boolean) => Promise<void>;
  readonly log?: Logger;
}

/** An info object kept in memory (types not stored in etcd, e.g. Node), with its sender. */
interface Held {
  readonly obj: Message;
  readonly connection: number;
}

const INTAKE_TYPES = new Set(['CloudletInfo', 'AppInstInfo', 'ClusterInstInfo']);

/**
 * Where a Controller applies what its notify children send up (the original's receive
 * caches with CleanupFlush):
 * - CloudletInfo, AppInstInfo, ClusterInstInfo → the CRM intake (CloudletInfo stamped with
 *   the connection's id and this Controller);
 * - other stored info objects (Alert, AutoProvInfo) → stored, stamped likewise; deleted
 *   on the child's delete;
 * - info objects that are not stored (Node, VMPoolInfo) → kept in memory, see `held`;
 * - Metric messages → `onMetric`.
 * `flush(connection)`: CloudletInfos the connection sent go OFFLINE (CloudletDown alert if
 * the Cloudlet was READY) when this Controller and connection still own them; its stored
 * and in-memory info objects are removed. Work of one connection runs in arrival order.
 */
export class ControllerNotifySink implements ReplicaSink {
  /** Per connection id: type name → key JSONs it sent. */
  private readonly sent = new Map<number, Map<string, Set<string>>>();
  /** Per type name: key JSON → object (types not stored). */
  private readonly memory = new Map<string, Map<string, Held>>();
  /** Per connection id: the tail of its work queue. */
  private readonly queues = new Map<number, Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly deps: NotifySinkDeps) {
    this.log = (deps.log ?? silentLogger()).child({ component: 'notify-sink' });
  }

  apply(change: Change, connection: ConnectionInfo): Promise<void> {
    return this.enqueue(connection.id, () => this.applyNow(change, connection));
  }

  flush(connection: ConnectionInfo): Promise<void> {
    const done = this.enqueue(connection.id, () => this.flushNow(connection));
    return done.finally(() => {
      if (this.queues.get(connection.id) === done) this.queues.delete(connection.id);
    });
  }

  message(type: string, msg: Message, connection: ConnectionInfo): void {
    if (type === edgeproto.MetricSchema.typeName) {
      this.deps.onMetric?.(msg as edgeproto.Metric);
      return;
    }
    this.log.debug({ type, connection: connection.id }, 'notify message type not handled');
  }

  /** The in-memory info objects of a type (e.g. `Node`, for ShowNode). */
  held<T extends Message>(typeName: string): T[] {
    return [...(this.memory.get(typeName)?.values() ?? [])].map((h) => h.obj as T);
  }

  private enqueue(id: number, work: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(id) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      this.log.warn({ err, connection: id }, 'notify info from child not applied');
    });
    this.queues.set(id, next);
    return next;
  }

  private async applyNow(change: Change, conn: ConnectionInfo): Promise<void> {
    const t = this.deps.reg.find(change.type);
    if (!t) {
      this.log.debug({ type: change.type }, 'notify object type not handled');
      return;
    }
    if (conn.identity !== undefined && !this.within(t, change, conn.identity)) {
      // A CRM speaks only for the cloudlet whose access key signed its stream.
      this.log.warn(
        { type: t.name, key: change.key, connection: conn.id, cloudlet: conn.identity },
        'ignored info about another cloudlet',
      );
      return;
    }
    this.track(conn.id, t.name, change.key, change.obj !== undefined);
    if (INTAKE_TYPES.has(t.name)) return this.applyIntake(t, change, conn);
    if (t.stored) return this.applyStored(t, change, conn);
    let held = this.memory.get(t.name);
    if (!held) this.memory.set(t.name, (held = new Map()));
    if (change.obj) held.set(change.key, { obj: this.stamp(t, change.obj, conn), connection: conn.id });
    else held.delete(change.key);
  }

  /** Whether every cloudlet the object names (its key for CloudletInfo) is `cloudletKeyJson`. */
  private within(t: ObjectType, change: Change, cloudletKeyJson: string): boolean {
    const cloudlet = this.deps.reg.get(CLOUDLET);
    const obj = change.obj ?? objectOfKey(t, change.key);
    const named =
      t.keySchema?.typeName === cloudlet.keySchema?.typeName
        ? [t.keyJson(obj)]
        : t
            .referenceValues(obj)
            .filter((v) => v.ref.target === CLOUDLET && !v.ref.byName)
            .map((v) => cloudlet.keyJson(create(cloudlet.schema, { key: v.value as edgeproto.CloudletKey })));
    return named.every((k) => k === cloudletKeyJson);
  }

  private async applyIntake(t: ObjectType, change: Change, conn: ConnectionInfo): Promise<void> {
    const { intake } = this.deps;
    if (t.name === 'CloudletInfo') {
      if (change.obj)
        await intake.applyCloudletInfo(this.stamp(t, change.obj, conn) as edgeproto.CloudletInfo);
      else await this.deleteOwned(t, change.key, conn);
    } else if (change.obj && t.name === 'AppInstInfo') {
      await intake.applyAppInstInfo(change.obj as edgeproto.AppInstInfo);
    } else if (change.obj && t.name === 'ClusterInstInfo') {
      await intake.applyClusterInstInfo(change.obj as edgeproto.ClusterInstInfo);
    }
    // An AppInstInfo/ClusterInstInfo delete changes nothing: the state lives in the instance.
  }

  private async applyStored(t: ObjectType, change: Change, conn: ConnectionInfo): Promise<void> {
    if (!change.obj) return this.deleteOwned(t, change.key, conn);
    const obj = this.stamp(t, change.obj, conn);
    await this.deps.store.apply(async (tx) => tx.put(t, obj));
    await this.deps.onStoredInfo?.(t.name, obj, true);
  }

  private async flushNow(conn: ConnectionInfo): Promise<void> {
    const sent = this.sent.get(conn.id);
    this.sent.delete(conn.id);
    for (const [name, keys] of sent ?? []) {
      const t = this.deps.reg.get(name);
      if (name === 'CloudletInfo') {
        for (const key of keys) {
          if (!this.owns(t, this.deps.cache.get(t, objectOfKey(t, key)), conn)) continue;
          const holder = objectOfKey(t, key) as edgeproto.CloudletInfo;
          if (holder.key)
            await this.deps.intake.cloudletDisconnected(holder.key, { notifyId: BigInt(conn.id) });
        }
      } else if (INTAKE_TYPES.has(name)) {
        continue; // AppInstInfo/ClusterInstInfo flush is a no-op, as in the original
      } else if (t.stored) {
        for (const key of keys) await this.deleteOwned(t, key, conn);
      } else {
        const held = this.memory.get(name);
        for (const key of keys) if (held?.get(key)?.connection === conn.id) held.delete(key);
      }
    }
  }

  /** Deletes a stored info object if this Controller and connection still own it. */
  private async deleteOwned(t: ObjectType, key: string, conn: ConnectionInfo): Promise<void> {
    const holder = objectOfKey(t, key);
    const deleted = await this.deps.store.apply(async (tx) => {
      const cur = await tx.get(t, holder);
      if (!cur || !this.owns(t, cur, conn)) return undefined;
      tx.delete(t, holder);
      return cur;
    });
    if (deleted) await this.deps.onStoredInfo?.(t.name, deleted, false);
  }

  /** Whether `obj` was last sent through `conn` of this Controller (types without the stamp fields: always). */
  private owns(t: ObjectType, obj: Message | undefined, conn: ConnectionInfo): boolean {
    if (!obj) return false;
    const rec = obj as unknown as Record<string, unknown>;
    const id = stampField(t, 'notify_id');
    const ctrl = stampField(t, 'controller');
    if (id && rec[id.localName] !== BigInt(conn.id)) return false;
    return !ctrl || rec[ctrl.localName] === this.deps.controllerId;
  }

  /** A copy stamped with the connection (`notify_id`) and this Controller (`controller`), where the type has them. */
  private stamp(t: ObjectType, obj: Message, conn: ConnectionInfo): Message {
    const id = stampField(t, 'notify_id');
    const ctrl = stampField(t, 'controller');
    if (!id && !ctrl) return obj;
    const out = clone(t.schema, obj) as unknown as Record<string, unknown>;
    if (id) out[id.localName] = BigInt(conn.id);
    if (ctrl) out[ctrl.localName] = this.deps.controllerId;
    return out as unknown as Message;
  }

  private track(id: number, name: string, key: string, present: boolean): void {
    let byType = this.sent.get(id);
    if (!byType) this.sent.set(id, (byType = new Map()));
    let keys = byType.get(name);
    if (!keys) byType.set(name, (keys = new Set()));
    if (present) keys.add(key);
    else keys.delete(key);
  }
}

/** A stamp field of the type (`notify_id` int64, `controller` string), if it has one. */
function stampField(t: ObjectType, name: string): DescField | undefined {
  return t.schema.fields.find((f) => f.name === name);
}
