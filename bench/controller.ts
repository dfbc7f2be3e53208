/**
 * CreateFlavor through a Controller (real gRPC on loopback, EtcdStore on a real etcd) against
 * its baseline in the same run: raw etcd3 puts of the same value (the stored JSON of the same
 * Flavor). Sequential and with 32 concurrent clients; each phase bounded by count and time.
 * The Controller is served from the benchmark process (as the test harness does; client and
 * server then share one event loop, as the etcd baseline shares it with its client), or with
 * `--process` from a child process (as in production, where MC is the client).
 *
 *   npm run bench -- controller [--ops=N] [--seconds=S] [--process]
 *
 * Profiling the Controller process: BENCH_CONTROLLER_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/p'.
 *
 * Last line: JSON with `ratio` (Controller / etcd throughput at 32 clients) and `p99_ms`
 * (Controller CreateFlavor p99 at 32 clients), plus the raw figures.
 */
import { join } from 'node:path';
import { create, toJsonString } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { createClient, insecureClient } from '@edge/rpc';
import { Etcd3 } from 'etcd3';
import { startController } from '../services/controller/src/testing/harness';
import { benchEtcd } from './lib/etcd-env';
import { describe, rounded, runPhase, summarize, type PhaseLimits, type PhaseRun } from './lib/measure';
import { spawnController } from './lib/spawn-controller';

const CONCURRENCY = 32;
const ROUNDS = 3;

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function flavor(name: string): edgeproto.Flavor {
  return create(edgeproto.FlavorSchema, { key: { name }, ram: 4096n, vcpus: 2n, disk: 40n });
}

async function main(): Promise<void> {
  const limits: PhaseLimits = { maxOps: arg('ops', 3000), maxMs: arg('seconds', 5) * 1000 };
  const inproc = !process.argv.includes('--process');
  const root = join(__dirname, '..');
  const etcd = benchEtcd(root);
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const region = `bench_${run}`;
  const raw = new Etcd3({ hosts: `http://${etcd.endpoint}` });
  const ctrl = inproc
    ? await startController({ etcd: etcd.endpoint, region })
    : await spawnController(
        root,
        etcd.endpoint,
        region,
        (process.env['BENCH_CONTROLLER_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
      );
  const clients = Array.from({ length: CONCURRENCY }, () =>
    createClient(edgeproto.FlavorApi, ctrl.address, { credentials: insecureClient() }),
  );
  try {
    const value = toJsonString(edgeproto.FlavorSchema, flavor('bench-flavor-000000'), {
      useProtoFieldName: true,
    });
    console.log(
      `etcd ${etcd.endpoint}, Controller ${inproc ? 'in this process' : 'in a child process'} at ${ctrl.address}, ` +
        `value ${value.length} bytes, limits ${limits.maxOps} ops / ${limits.maxMs} ms per phase`,
    );
    const createVia = (prefix: string) => async (i: number, w: number) => {
      await clients[w % clients.length]?.createFlavor(flavor(`${prefix}-${String(i).padStart(6, '0')}`));
    };
    const putVia = (prefix: string) => async (i: number) => {
      await raw.put(`${region}-raw/Flavor/${prefix}-${String(i).padStart(6, '0')}`).value(value);
    };

    // warm-up: connections, JIT
    await runPhase(8, { maxOps: 200, maxMs: 2000 }, createVia('warm'));
    await runPhase(8, { maxOps: 200, maxMs: 2000 }, putVia('warm'));

    // The phases alternate in ROUNDS short rounds, so that a burst of load from elsewhere on a
    // shared machine hits the Controller and its baseline alike.
    const perRound: PhaseLimits = {
      maxOps: Math.ceil(limits.maxOps / ROUNDS),
      maxMs: limits.maxMs / ROUNDS,
    };
    const runs: Record<'etcdSeq' | 'ctrlSeq' | 'etcdPar' | 'ctrlPar', PhaseRun[]> = {
      etcdSeq: [],
      ctrlSeq: [],
      etcdPar: [],
      ctrlPar: [],
    };
    for (let r = 0; r < ROUNDS; r++) {
      runs.etcdSeq.push(await runPhase(1, perRound, putVia(`seq${r}`)));
      runs.ctrlSeq.push(await runPhase(1, perRound, createVia(`seq${r}`)));
      runs.etcdPar.push(await runPhase(CONCURRENCY, perRound, putVia(`par${r}`)));
      runs.ctrlPar.push(await runPhase(CONCURRENCY, perRound, createVia(`par${r}`)));
    }
    const etcdSeq = summarize(runs.etcdSeq);
    const ctrlSeq = summarize(runs.ctrlSeq);
    const etcdPar = summarize(runs.etcdPar);
    const ctrlPar = summarize(runs.ctrlPar);
    console.log(describe('etcd put, sequential', etcdSeq));
    console.log(describe('Controller CreateFlavor, sequential', ctrlSeq));
    console.log(describe(`etcd put, ${CONCURRENCY} concurrent`, etcdPar));
    console.log(describe(`Controller CreateFlavor, ${CONCURRENCY} concurrent`, ctrlPar));

    const ratio = ctrlPar.opsPerSec / etcdPar.opsPerSec;
    const seqRatio = ctrlSeq.opsPerSec / etcdSeq.opsPerSec;
    console.log(
      `ratio (Controller/etcd) ${CONCURRENCY} concurrent ${ratio.toFixed(2)} (target >= 0.5), ` +
        `sequential ${seqRatio.toFixed(2)}; Controller p99 at ${CONCURRENCY}: ${ctrlPar.p99Ms.toFixed(2)} ms (target <= 50)`,
    );
    console.log(
      JSON.stringify({
        bench: 'controller',
        mode: inproc ? 'inproc' : 'process',
        ratio: Math.round(ratio * 1000) / 1000,
        p99_ms: Math.round(ctrlPar.p99Ms * 100) / 100,
        seq_ratio: Math.round(seqRatio * 1000) / 1000,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        value_bytes: value.length,
        controller_seq: rounded(ctrlSeq),
        controller_par: rounded(ctrlPar),
        etcd_seq: rounded(etcdSeq),
        etcd_par: rounded(etcdPar),
      }),
    );
  } finally {
    for (const c of clients) c.close();
    if ('close' in ctrl) await ctrl.close();
    else await ctrl.stop();
    await raw.delete().prefix(`${region}`);
    raw.close();
    etcd.release();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
