import type { edgeproto } from '@edge/proto';
import type { Change, ReplicaSink } from '@edge/notify';

/** A change of a region's alerts: the alert now, or undefined when it went away. */
export type AlertChange = (
  region: string,
  key: string,
  now: edgeproto.Alert | undefined,
  before: edgeproto.Alert | undefined,
) => void;

/**
 * The alerts one region's Controller currently holds (its notify replica of `Alert`),
 * keyed by key JSON. It is the sink of the MC's notify client for that region; every
 * change is reported to `onChange` so Alertmanager hears of it at once.
 */
export class RegionAlertCache implements ReplicaSink {
  private readonly alerts = new Map<string, edgeproto.Alert>();

  constructor(
    readonly region: string,
    private readonly onChange: AlertChange,
  ) {}

  apply(change: Change): void {
    if (change.type !== 'edgeproto.Alert') return;
    const before = this.alerts.get(change.key);
    if (change.obj) {
      const alert = change.obj as edgeproto.Alert;
      this.alerts.set(change.key, alert);
      this.onChange(this.region, change.key, alert, before);
    } else if (before) {
      this.alerts.delete(change.key);
      this.onChange(this.region, change.key, undefined, before);
    }
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    if (!types.has('edgeproto.Alert')) return;
    for (const [key, before] of [...this.alerts]) {
      if (keep.has(key)) continue;
      this.alerts.delete(key);
      this.onChange(this.region, key, undefined, before);
    }
  }

  /** Current alerts. */
  list(): edgeproto.Alert[] {
    return [...this.alerts.values()];
  }

  /** Drops everything (the region went away); reports each as gone. */
  clear(): void {
    for (const [key, before] of [...this.alerts]) {
      this.alerts.delete(key);
      this.onChange(this.region, key, undefined, before);
    }
  }
}
