import type { Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { NotifyServer, type ConnectionInfo, type NotifyCodec, type ReplicaSink } from '@edge/notify';
import type { CrmCache } from './crm-cache';
import type { Upward } from './upward';

const E = (names: string[]): string[] => names.map((n) => `edgeproto.${n}`);

/** What the CRM serves its Shepherd (the original's InitSrvNotify send list). */
export const SHEPHERD_SENDS = E([
  'Settings',
  'Flavor',
  'VMPool',
  'Cloudlet',
  'CloudletInternal',
  'AutoProvPolicy',
  'AutoScalePolicy',
  'AlertPolicy',
  'App',
  'ClusterInst',
  'AppInst',
]);
/** Info objects it takes from Shepherd and passes up. */
export const SHEPHERD_INFOS = E(['Alert', 'Node']);
/** One-shot messages it takes from Shepherd and passes up. */
export const SHEPHERD_MESSAGES = E(['Metric']);

/**
 * The sink of what Shepherd sends: info objects (alerts) and messages (metrics) go up
 * through the CRM's own notify client; when a Shepherd's stream ends, the alerts it had
 * raised are deleted upstream (the original's flush), so none outlives its reporter.
 */
export class ShepherdSink implements ReplicaSink {
  private readonly owned = new Map<number, Map<string, { type: string; key: string }>>();

  constructor(
    private readonly upward: Upward,
    private readonly log: Logger,
  ) {}

  apply(change: { type: string; key: string; obj?: Message }, conn: ConnectionInfo): void {
    let mine = this.owned.get(conn.id);
    if (!mine) this.owned.set(conn.id, (mine = new Map()));
    const id = `${change.type}\u0000${change.key}`;
    if (change.obj) mine.set(id, { type: change.type, key: change.key });
    else mine.delete(id);
    this.upward.update(change.type, change.key, change.obj);
  }

  flush(conn: ConnectionInfo): void {
    const mine = this.owned.get(conn.id);
    this.owned.delete(conn.id);
    if (!mine || mine.size === 0) return;
    this.log.info(
      { shepherd: conn.name, objects: mine.size },
      'shepherd disconnected, flushing what it sent',
    );
    for (const { type, key } of mine.values()) this.upward.update(type, key, undefined);
  }

  message(type: string, msg: Message): void {
    this.upward.message(type, msg);
  }
}

/** The CRM's notify server for Shepherd, serving the CRM's cache. */
export function shepherdNotifyServer(opts: {
  codec: NotifyCodec;
  cache: CrmCache;
  upward: Upward;
  name: string;
  log: Logger;
}): NotifyServer {
  return new NotifyServer({
    ...opts.codec,
    source: opts.cache,
    sink: new ShepherdSink(opts.upward, opts.log.child({ component: 'shepherd-sink' })),
    accepts: SHEPHERD_INFOS,
    messageTypes: SHEPHERD_MESSAGES,
    sends: SHEPHERD_SENDS,
    name: opts.name,
    log: opts.log,
  });
}
