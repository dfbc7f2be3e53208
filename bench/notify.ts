/**
 * The notify tree with "hollow" children (NotifyClients with a MemorySink: they speak notify,
 * nothing else), everything in this process on loopback, a MemorySource of edgeproto
 * AppInsts and Flavors as the parent's source, each figure next to a baseline of plain
 * grpc-js streams in the same run:
 *
 * - storm: `--children` children without resume state connect at once and resync
 *   `--storm-objects` objects; time until all are synced and peak RSS of the process;
 * - fan-out: on those children, one change → every child applied it (client clock) and acked
 *   it (the server's convergence p99, target ≤ 1 s); baseline: the same bytes broadcast on as
 *   many raw streams;
 * - throughput: `--updates` object updates through one stream vs. a raw stream of the same
 *   encoded notice bytes (target ratio ≥ 0.8);
 * - reconnect: parent restart with `--reconnect-objects` objects and no change: bytes sent
 *   per child vs. a full resend (target ≤ 1 KB per child).
 *
 * Children share `--connections` HTTP/2 connections. Every wait is bounded by `--timeout`.
 *
 *   npm run bench -- notify [--children=N] [--connections=N] [--storm-objects=N]
 *     [--rounds=N] [--updates=N] [--reconnect-objects=N] [--timeout=S]
 *
 * Last line: JSON with `convergence_p99_ms`, `throughput_ratio`, `reconnect_bytes_per_child`,
 * `storm_resync_s`, `peak_rss_mb` (peak RSS during the storm), plus the raw figures.
 */
import { benchCodec, RssSampler } from './lib/notify-fixtures';
import { reconnect, stormAndFanout, throughput, type NotifyBenchOptions } from './lib/notify-phases';

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);
const two = (n: number): number => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const o: NotifyBenchOptions = {
    children: arg('children', 1000),
    connections: arg('connections', 4),
    stormObjects: arg('storm-objects', 200),
    fanoutRounds: arg('rounds', 20),
    updates: arg('updates', 20000),
    throughputRounds: 5,
    reconnectObjects: arg('reconnect-objects', 10000),
    timeoutMs: arg('timeout', 120) * 1000,
  };
  const codec = benchCodec();
  const rss = new RssSampler();
  const t0 = performance.now();
  console.log(
    `${o.children} children over ${o.connections} HTTP/2 connections, storm ${o.stormObjects} objects, ` +
      `${o.fanoutRounds} fan-out rounds, ${o.updates} updates × ${o.throughputRounds} rounds, ` +
      `reconnect ${o.reconnectObjects} objects; node ${process.version}, ${f0(rss.peak())} MB RSS at start`,
  );
  try {
    // Throughput first, on a small heap: the storm leaves a thousand children's garbage
    // behind, whose collection would be measured against notify and not the raw baseline.
    const tp = await throughput(o, codec);
    console.log(
      `throughput: notify ${f0(tp.notifyPerSec)} updates/s vs raw grpc-js ${f0(tp.rawPerSec)} msgs/s of ` +
        `${tp.noticeBytes} bytes: ratio ${tp.ratio.toFixed(2)} (target >= 0.8)`,
    );

    const sf = await stormAndFanout(o, codec, rss);
    console.log(
      `storm: ${o.children} children resynced ${o.stormObjects} objects in ${sf.stormSeconds.toFixed(2)} s, ` +
        `${f0(sf.stormBytesPerChild)} B/child, peak RSS ${f0(sf.stormPeakRssMb)} MB (${f0(sf.rssBeforeMb)} MB before)`,
    );
    console.log(
      `fan-out: commit → applied p50 ${f1(sf.applyP50Ms)} ms p99 ${f1(sf.applyP99Ms)} ms, last child p99 ` +
        `${f1(sf.lastAppliedP99Ms)} ms; commit → all acked (server) p50 ${f1(sf.convergenceP50Ms)} ms ` +
        `p99 ${f1(sf.convergenceP99Ms)} ms over ${sf.convergenceCount} changes (target <= 1000)`,
    );
    console.log(
      `fan-out baseline (raw grpc-js broadcast): received p50 ${f1(sf.rawP50Ms)} ms p99 ${f1(sf.rawP99Ms)} ms, ` +
        `last stream p99 ${f1(sf.rawLastP99Ms)} ms; notify/raw last-applied ${(sf.lastAppliedP99Ms / sf.rawLastP99Ms).toFixed(1)}×`,
    );

    const rc = await reconnect(o, codec);
    console.log(
      `reconnect: full resend of ${rc.objects} objects ${f0(rc.fullResendBytes)} B in ${rc.fullResendSeconds.toFixed(2)} s; ` +
        `after restart ${f0(rc.bytesPerChild)} B (${f1(rc.noticesPerChild)} notices)/child, ${rc.resumed} of ` +
        `${o.children} resumed, all synced in ${rc.resyncSeconds.toFixed(2)} s ` +
        `(target <= 1024 B; ratio to full ${(rc.bytesPerChild / rc.fullResendBytes).toExponential(2)})`,
    );
    console.log(
      `total ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS of the run ${f0(rss.overall())} MB`,
    );
    console.log(
      JSON.stringify({
        bench: 'notify',
        children: o.children,
        connections: o.connections,
        convergence_p99_ms: two(sf.convergenceP99Ms),
        throughput_ratio: Math.round(tp.ratio * 1000) / 1000,
        reconnect_bytes_per_child: two(rc.bytesPerChild),
        storm_resync_s: Math.round(sf.stormSeconds * 1000) / 1000,
        peak_rss_mb: Math.round(sf.stormPeakRssMb),
        storm: {
          objects: o.stormObjects,
          bytes_per_child: Math.round(sf.stormBytesPerChild),
          rss_before_mb: Math.round(sf.rssBeforeMb),
        },
        fanout: {
          rounds: o.fanoutRounds,
          convergence_p50_ms: two(sf.convergenceP50Ms),
          convergence_samples: sf.convergenceCount,
          apply_p50_ms: two(sf.applyP50Ms),
          apply_p99_ms: two(sf.applyP99Ms),
          last_applied_p99_ms: two(sf.lastAppliedP99Ms),
          raw_p50_ms: two(sf.rawP50Ms),
          raw_p99_ms: two(sf.rawP99Ms),
          raw_last_p99_ms: two(sf.rawLastP99Ms),
        },
        throughput: {
          updates: tp.updates,
          notice_bytes: tp.noticeBytes,
          notify_per_sec: Math.round(tp.notifyPerSec),
          raw_per_sec: Math.round(tp.rawPerSec),
        },
        reconnect: {
          objects: rc.objects,
          full_resend_bytes: rc.fullResendBytes,
          full_resend_s: two(rc.fullResendSeconds),
          notices_per_child: two(rc.noticesPerChild),
          resumed: rc.resumed,
          resync_s: two(rc.resyncSeconds),
        },
        peak_rss_mb_run: Math.round(rss.overall()),
      }),
    );
  } finally {
    rss.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
