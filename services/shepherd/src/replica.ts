import type { Message } from '@bufbuild/protobuf';
import type { Change, NotifyCodec, ReplicaSink } from '@edge/notify';
import type { edgeproto } from '@edge/proto';

/** Full type names of what a Shepherd receives from its CRM. */
export const T = {
  Settings: 'edgeproto.Settings',
  Flavor: 'edgeproto.Flavor',
  Cloudlet: 'edgeproto.Cloudlet',
  ClusterInst: 'edgeproto.ClusterInst',
  App: 'edgeproto.App',
  AppInst: 'edgeproto.AppInst',
  AlertPolicy: 'edgeproto.AlertPolicy',
  AutoScalePolicy: 'edgeproto.AutoScalePolicy',
} as const;

/** The types a Shepherd asks its parent for (the original's RegisterRecv*Cache list, reduced). */
export const SHEPHERD_WANTS: readonly string[] = Object.values(T);

/**
 * What a Shepherd knows of its cloudlet: the objects its parent replicates, by type and
 * key JSON, with change listeners. Listeners run synchronously after each change and only
 * get the type; they re-read what they need (level-based, never the event payload).
 */
export class Replica implements ReplicaSink {
  private readonly objects = new Map<string, Map<string, Message>>();
  private readonly listeners = new Set<(type: string) => void>();

  constructor(private readonly codec: Pick<NotifyCodec, 'keyJson'>) {}

  apply(change: Change): void {
    let byKey = this.objects.get(change.type);
    if (!byKey) this.objects.set(change.type, (byKey = new Map()));
    if (change.obj) byKey.set(change.key, change.obj);
    else byKey.delete(change.key);
    this.emit(change.type);
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    for (const t of types) {
      const byKey = this.objects.get(t);
      if (!byKey) continue;
      let changed = false;
      for (const key of [...byKey.keys()]) {
        if (keep.has(key)) continue;
        byKey.delete(key);
        changed = true;
      }
      if (changed) this.emit(t);
    }
  }

  /** Calls `fn(type)` after every change; returns the unsubscribe. */
  onChange(fn: (type: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** All objects of `type`. */
  list<M extends Message>(type: string): M[] {
    return [...(this.objects.get(type)?.values() ?? [])] as M[];
  }

  /** The object of `type` with the key of `holder` (a message of that type with its key set). */
  get<M extends Message>(type: string, holder: Message): M | undefined {
    return this.objects.get(type)?.get(this.codec.keyJson(type, holder)) as M | undefined;
  }

  /** The region's Settings, once received. */
  settings(): edgeproto.Settings | undefined {
    return this.list<edgeproto.Settings>(T.Settings)[0];
  }

  private emit(type: string): void {
    for (const l of [...this.listeners]) l(type);
  }
}
