import { clone, equals } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

/** Sends one alert up (`undefined`: deletes it), keyed by its key JSON (the JSON of its labels). */
export type AlertSend = (key: string, alert: edgeproto.Alert | undefined) => void;

/**
 * The alerts a Shepherd has firing, grouped by owner (one health checker, one AppInst's
 * policies, …), sent up as info objects: new and changed alerts are updated, alerts an
 * owner no longer reports are deleted (the original's UpdateAlerts with its stale set).
 * An alert that stays firing keeps its `active_at` and `value`, so it is not resent on
 * every evaluation. Owners must not report alerts with the same labels.
 */
export class AlertPublisher {
  private readonly byOwner = new Map<string, Map<string, edgeproto.Alert>>();

  constructor(
    private readonly send: AlertSend,
    private readonly keyJson: (alert: edgeproto.Alert) => string,
  ) {}

  /** Makes `alerts` the owner's firing alerts (new ones are sent before stale ones are deleted). */
  set(owner: string, alerts: readonly edgeproto.Alert[]): void {
    const prev = this.byOwner.get(owner) ?? new Map<string, edgeproto.Alert>();
    const next = new Map<string, edgeproto.Alert>();
    for (const alert of alerts) {
      const key = this.keyJson(alert);
      const old = prev.get(key);
      let cur = alert;
      if (old) {
        cur = clone(edgeproto.AlertSchema, alert);
        if (old.activeAt) cur.activeAt = old.activeAt;
        cur.value = old.value;
      }
      if (!old || !equals(edgeproto.AlertSchema, old, cur)) this.send(key, cur);
      next.set(key, cur);
    }
    for (const key of prev.keys()) if (!next.has(key)) this.send(key, undefined);
    if (next.size > 0) this.byOwner.set(owner, next);
    else this.byOwner.delete(owner);
  }

  /** Deletes the owner's alerts. */
  clear(owner: string): void {
    this.set(owner, []);
  }

  /** Owners with alerts firing now. */
  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  /** Every alert firing now. */
  firing(): edgeproto.Alert[] {
    return [...this.byOwner.values()].flatMap((m) => [...m.values()]);
  }
}
