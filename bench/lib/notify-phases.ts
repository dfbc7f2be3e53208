// The phases of bench/notify, each against its baseline in the same run.
import { create, toBinary, type Message } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { edgeproto, notify } from '@edge/proto';
import type { NotifyCodec } from '@edge/notify';
import {
  APP_INST,
  appInst,
  benchSource,
  fill,
  quantile,
  startChildren,
  startParent,
  stopChildren,
  waitFor,
  type Child,
  type RssSampler,
} from './notify-fixtures';
import { collectGarbage } from './measure';
import { rawReceive, rawSubscribers, startRawServer } from './notify-raw';

/** Knobs of a run. */
export interface NotifyBenchOptions {
  readonly children: number;
  readonly connections: number;
  /** Objects the storm's children resync (and the fan-out children hold). */
  readonly stormObjects: number;
  readonly fanoutRounds: number;
  readonly updates: number;
  readonly throughputRounds: number;
  readonly reconnectObjects: number;
  /** Bound of every wait. */
  readonly timeoutMs: number;
}

/** The encoded UPDATE notice of `obj`, as notify sends it. */
export function encodedNotice(obj: Message, rev: number): Buffer {
  const notice = create(notify.NoticeSchema, {
    action: notify.NoticeAction.UPDATE,
    any: anyPack(edgeproto.AppInstSchema, obj as edgeproto.AppInst),
    modRev: BigInt(rev),
  });
  return Buffer.from(toBinary(notify.NoticeSchema, notice));
}

const ms = (t0: number): number => performance.now() - t0;

export interface StormFanout {
  readonly stormSeconds: number;
  readonly stormPeakRssMb: number;
  readonly rssBeforeMb: number;
  readonly stormBytesPerChild: number;
  /** Commit → applied, each child each round. */
  readonly applyP50Ms: number;
  readonly applyP99Ms: number;
  /** Commit → last child applied, per round. */
  readonly lastAppliedP99Ms: number;
  /** Server: commit → acknowledged by every child. */
  readonly convergenceP50Ms: number;
  readonly convergenceP99Ms: number;
  readonly convergenceCount: number;
  /** Baseline: one raw message broadcast to as many raw streams, send → received. */
  readonly rawP50Ms: number;
  readonly rawP99Ms: number;
  readonly rawLastP99Ms: number;
}

/**
 * Storm: `children` children without resume state connect at once to a parent holding
 * `stormObjects` objects; time until all are synced, peak RSS. Fan-out: then, `fanoutRounds`
 * times, one change is committed and timed until every child applied (client clock) and
 * acknowledged it (the server's convergence figure). Baseline: one message of the same size
 * broadcast on as many raw grpc-js streams over as many connections.
 */
export async function stormAndFanout(
  o: NotifyBenchOptions,
  codec: NotifyCodec,
  rss: RssSampler,
): Promise<StormFanout> {
  const source = benchSource(codec);
  fill(source, o.stormObjects);
  const parent = await startParent({ ...codec, source, name: 'bench-ctrl' });
  let children: Child[] = [];
  let closed = false;
  try {
    global.gc?.();
    rss.reset();
    const rssBeforeMb = rss.peak();
    const t0 = performance.now();
    children = startChildren(codec, parent.address, o.children, o.connections);
    await waitFor(() => parent.server.stats().synced === o.children, o.timeoutMs, 'storm: all synced', 20);
    await Promise.all(children.map((c) => c.client.waitSynced()));
    const stormSeconds = ms(t0) / 1000;
    const stormPeakRssMb = rss.peak();
    const stormBytesPerChild = parent.server.stats().bytesSent / o.children;
    const heldOk = children.every((c) => c.sink.keys(APP_INST).length > 0 || o.stormObjects === 0);
    if (!heldOk) throw new Error('storm: a child holds no AppInst after sync');
    await waitFor(
      () => parent.server.children().every((c) => c.lag === 0),
      o.timeoutMs,
      'storm: all acked',
      20,
    );

    const applied: number[] = [];
    const lastApplied: number[] = [];
    const baseCount = parent.server.stats().convergence.count;
    for (let r = 0; r < o.fanoutRounds; r++) {
      const obj = appInst(0, r + 1);
      const key = codec.keyJson(APP_INST, obj);
      let got = 0;
      let last = 0;
      const start = performance.now();
      for (const c of children) {
        c.sink.onApply = (change) => {
          if (change.key !== key) return;
          const t = ms(start);
          applied.push(t);
          last = Math.max(last, t);
          got++;
        };
      }
      source.put(obj);
      await waitFor(() => got === o.children, o.timeoutMs, `fan-out round ${r}: all applied`, 1);
      lastApplied.push(last);
      await waitFor(
        () => parent.server.stats().convergence.count >= baseCount + r + 1,
        o.timeoutMs,
        `fan-out round ${r}: all acked`,
        5,
      );
    }
    for (const c of children) c.sink.onApply = undefined;
    const conv = parent.server.stats().convergence;

    const notifyFigures = {
      stormSeconds,
      stormPeakRssMb,
      rssBeforeMb,
      stormBytesPerChild,
      applyP50Ms: quantile(applied, 0.5),
      applyP99Ms: quantile(applied, 0.99),
      lastAppliedP99Ms: quantile(lastApplied, 0.99),
      convergenceP50Ms: conv.p50Ms,
      convergenceP99Ms: conv.p99Ms,
      convergenceCount: conv.count,
    };
    // The baseline runs once the children are gone, on the same payload size.
    await stopChildren(children.splice(0));
    closed = true;
    await parent.close();
    const raw = await rawFanout(o, encodedNotice(appInst(0, 1), source.revision()));
    return { ...notifyFigures, ...raw };
  } finally {
    await stopChildren(children);
    if (!closed) await parent.close();
  }
}

async function rawFanout(
  o: NotifyBenchOptions,
  payload: Buffer,
): Promise<{ rawP50Ms: number; rawP99Ms: number; rawLastP99Ms: number }> {
  const server = await startRawServer(payload);
  let start = 0;
  let got = 0;
  let last = 0;
  const each: number[] = [];
  const subs = rawSubscribers(server.address, o.children, o.connections, () => {
    const t = ms(start);
    each.push(t);
    last = Math.max(last, t);
    got++;
  });
  const lasts: number[] = [];
  try {
    await waitFor(() => server.subscribers === o.children, o.timeoutMs, 'raw fan-out: subscribed', 10);
    for (let r = 0; r < o.fanoutRounds; r++) {
      got = 0;
      last = 0;
      start = performance.now();
      server.broadcast(payload);
      await waitFor(() => got === o.children, o.timeoutMs, `raw fan-out round ${r}`, 1);
      lasts.push(last);
    }
  } finally {
    subs.close();
    await server.close();
  }
  return {
    rawP50Ms: quantile(each, 0.5),
    rawP99Ms: quantile(each, 0.99),
    rawLastP99Ms: quantile(lasts, 0.99),
  };
}

export interface Throughput {
  readonly noticeBytes: number;
  readonly notifyPerSec: number;
  readonly rawPerSec: number;
  readonly ratio: number;
  readonly updates: number;
}

/**
 * `updates` AppInst updates (distinct keys, so nothing coalesces) committed in chunks of
 * 500 per tick through one parent → one child stream, timed until the child applied the
 * last; baseline: a raw grpc-js stream carrying the same encoded notice bytes as many
 * times. Interleaved in `throughputRounds` rounds.
 */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export async function throughput(o: NotifyBenchOptions, codec: NotifyCodec): Promise<Throughput> {
  const source = benchSource(codec);
  const parent = await startParent({ ...codec, source, name: 'bench-ctrl' });
  const [child] = startChildren(codec, parent.address, 1, 1, 0, 'stream');
  const payload = encodedNotice(appInst(1), 1);
  const raw = await startRawServer(payload);
  if (!child) throw new Error('no child');
  try {
    await child.client.waitSynced();
    // Each round's objects exist before it is timed (as a Controller's would), and every
    // timed run, notify and raw, starts after a full GC: neither pays for the other's garbage.
    const runNotify = async (gen: number): Promise<number> => {
      const objs = Array.from({ length: o.updates }, (_, i) => appInst(i, gen));
      collectGarbage();
      const base = child.client.stats().received.updates;
      const t0 = performance.now();
      for (let i = 0; i < objs.length; i += 500) {
        for (const obj of objs.slice(i, i + 500)) source.put(obj);
        await new Promise((r) => setImmediate(r));
      }
      await waitFor(
        () => child.client.stats().received.updates - base === o.updates,
        o.timeoutMs,
        'throughput: all applied',
        1,
      );
      return o.updates / (ms(t0) / 1000);
    };
    const runRaw = async (): Promise<number> => {
      collectGarbage();
      const r = await rawReceive(raw.address, o.updates);
      return o.updates / r.seconds;
    };
    // warm-up (JIT, connections)
    await runNotify(0);
    await runRaw();
    const notifyRates: number[] = [];
    const rawRates: number[] = [];
    for (let r = 1; r <= o.throughputRounds; r++) {
      rawRates.push(await runRaw());
      notifyRates.push(await runNotify(r));
    }
    // Medians: one slow round (a GC, the machine) does not decide the figure.
    const notifyPerSec = median(notifyRates);
    const rawPerSec = median(rawRates);
    return {
      noticeBytes: payload.length,
      notifyPerSec,
      rawPerSec,
      ratio: notifyPerSec / rawPerSec,
      updates: o.updates,
    };
  } finally {
    await child.client.stop();
    await parent.close();
    await raw.close();
  }
}

export interface Reconnect {
  readonly objects: number;
  readonly fullResendBytes: number;
  readonly fullResendSeconds: number;
  readonly bytesPerChild: number;
  readonly noticesPerChild: number;
  readonly resumed: number;
  readonly resyncSeconds: number;
}

/**
 * A parent with `reconnectObjects` objects; one child syncs fully (the full resend, measured),
 * the others start from the current revision (the state a full sync leaves; seeding it spares
 * the machine `children` × `reconnectObjects` notices that this phase is not about). The
 * parent restarts on the same port and source with no change in between; bytes it sends per
 * child until all are synced again vs. the full resend.
 */
export async function reconnect(o: NotifyBenchOptions, codec: NotifyCodec): Promise<Reconnect> {
  const source = benchSource(codec);
  fill(source, o.reconnectObjects);
  let parent = await startParent({ ...codec, source, name: 'bench-ctrl' });
  const port = parent.port;
  let children: Child[] = [];
  try {
    const t0 = performance.now();
    children = startChildren(codec, parent.address, 1, o.connections, 0, 'full');
    const full = children[0] as Child;
    await full.client.waitSynced();
    const fullResendSeconds = ms(t0) / 1000;
    const fullResendBytes = parent.server.stats().bytesSent;
    if (full.sink.keys(APP_INST).length + full.sink.keys('edgeproto.Flavor').length === 0) {
      throw new Error('reconnect: the full child holds nothing');
    }
    children = children.concat(
      startChildren(codec, parent.address, o.children - 1, o.connections, source.revision(), 'seeded'),
    );
    const first = parent;
    await waitFor(() => first.server.stats().synced === o.children, o.timeoutMs, 'reconnect: all synced', 20);

    await parent.close();
    const t1 = performance.now();
    parent = await startParent({ ...codec, source, name: 'bench-ctrl' }, port);
    const second = parent;
    await waitFor(
      () =>
        second.server.stats().synced === o.children && children.every((c) => c.client.stats().sessions >= 2),
      o.timeoutMs,
      'reconnect: all resynced',
      20,
    );
    const resyncSeconds = ms(t1) / 1000;
    const stats = second.server.stats();
    return {
      objects: o.reconnectObjects,
      fullResendBytes,
      fullResendSeconds,
      bytesPerChild: stats.bytesSent / o.children,
      noticesPerChild: stats.noticesSent / o.children,
      resumed: second.server.children().filter((c) => c.resumed).length,
      resyncSeconds,
    };
  } finally {
    await stopChildren(children);
    await parent.close();
  }
}
