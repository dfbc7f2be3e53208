/**
 * DME FindCloudlet, everything in this process on loopback:
 *
 * - peak: FindCloudlet over gRPC with `--insts` AppInsts of one app (spread over Europe)
 *   vs. an empty unary handler (testing.Echo/Say) on the same server in the same run, each
 *   with `--concurrency` calls in flight (ratio target ≥ 0.8);
 * - latency: p50/p99 of FindCloudlet issued at 50 % of its measured peak (target p99 ≤ 2 ms);
 * - select: in-process selection rate over the same table (target ≥ 1M/s).
 *
 *   npm run bench -- dme [--insts=N] [--concurrency=N] [--seconds=S]
 *
 * Last line: JSON with `ratio`, `p50_ms`, `p99_ms`, `select_per_s` and the raw figures.
 */
import { create } from '@bufbuild/protobuf';
import { dme, testing } from '@edge/proto';
import { addService, createClient, createServer, insecureClient, insecureServer, listen } from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import { matchEngineImpl } from '../services/dme/src/api/match-engine';
import { Cookies } from '../services/dme/src/auth/cookies';
import { KeyRing } from '../services/dme/src/auth/key-ring';
import { Selector } from '../services/dme/src/match/select';
import { DmeTable } from '../services/dme/src/state/dme-table';
import { appKey, putApp, putCloudlet, putInst } from '../services/dme/src/testing/fixtures';
import { collectGarbage, runPhase, summarize } from './lib/measure';

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.slice(name.length + 3)) : dflt;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const two = (n: number): number => Math.round(n * 100) / 100;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function main(): Promise<void> {
  const insts = arg('insts', 10_000);
  const concurrency = arg('concurrency', 64);
  const seconds = arg('seconds', 5);
  let seed = 42;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const europe = (): [number, number] => [36 + rnd() * 24, -9 + rnd() * 39];

  const table = new DmeTable();
  putApp(table);
  for (let i = 0; i < insts; i++) {
    const [lat, lon] = europe();
    const org = i % 10 === 0 ? 'aws' : `op${i % 3}`;
    putCloudlet(table, `c${i}`, org, lat, lon);
    putInst(table, `c${i}`, org, lat, lon);
  }
  const selector = new Selector(table);
  const app = table.apps.get(JSON.stringify(appKey()))!;
  const queries = Array.from({ length: 4096 }, europe);
  console.log(`${insts} AppInsts of one app; node ${process.version}`);

  // In-process selection rate.
  for (let i = 0; i < 20_000; i++) selector.find(app, 'op1', queries[i & 4095]![0], queries[i & 4095]![1], 1);
  let n = 0;
  const s0 = performance.now();
  while (performance.now() - s0 < 2000) {
    for (let i = 0; i < 10_000; i++, n++) {
      const q = queries[n & 4095]!;
      selector.find(app, n % 2 ? 'op1' : '', q[0], q[1], 1);
    }
  }
  const selectPerS = n / ((performance.now() - s0) / 1000);
  console.log(`select: ${Math.round(selectPerS)}/s in process`);

  const ring = await KeyRing.open(new MemorySecretStore());
  const cookies = new Cookies(ring, { sessionMs: 86400_000, edgeEventsMs: 600_000 });
  const server = createServer();
  const serve = { logCalls: false };
  addService(server, dme.MatchEngineApi, matchEngineImpl({ table, selector, cookies }), serve);
  const echoReply = create(testing.EchoResponseSchema, {});
  addService(
    server,
    testing.Echo,
    {
      say: () => Promise.resolve(echoReply),
      expand: async function* () {},
      collect: () => Promise.resolve(echoReply),
      chat: async function* () {},
    },
    serve,
  );
  const l = await listen(server, '127.0.0.1:0', insecureServer());
  const addr = `127.0.0.1:${l.port}`;
  const client = createClient(dme.MatchEngineApi, addr, { credentials: insecureClient() });
  const echo = createClient(testing.Echo, addr, { credentials: insecureClient() });
  const reg = await client.registerClient({ orgName: 'dev', appName: 'app', appVers: '1' });
  const req = (i: number) => {
    const q = queries[i & 4095]!;
    return {
      sessionCookie: reg.sessionCookie,
      carrierName: '',
      gpsLocation: { latitude: q[0], longitude: q[1] },
    };
  };
  const limits = { maxOps: 10_000_000, maxMs: seconds * 1000 };
  try {
    // Warm up both paths.
    await runPhase(
      concurrency,
      { maxOps: 5000, maxMs: 5000 },
      async (i) => void (await client.findCloudlet(req(i))),
    );
    await runPhase(concurrency, { maxOps: 5000, maxMs: 5000 }, async () => void (await echo.say({})));
    collectGarbage();
    const find = summarize([
      await runPhase(concurrency, limits, async (i) => {
        const r = await client.findCloudlet(req(i));
        if (r.status !== dme.FindCloudletReply_FindStatus.FIND_FOUND) throw new Error('not found');
      }),
    ]);
    collectGarbage();
    const base = summarize([await runPhase(concurrency, limits, async () => void (await echo.say({})))]);
    const ratio = find.opsPerSec / base.opsPerSec;
    console.log(
      `peak: FindCloudlet ${Math.round(find.opsPerSec)}/s vs empty unary ${Math.round(base.opsPerSec)}/s ` +
        `(ratio ${two(ratio)})`,
    );

    // Open loop at 50 % of the measured peak.
    const rate = find.opsPerSec / 2;
    const lat: number[] = [];
    const total = Math.round(rate * seconds);
    collectGarbage();
    // Open loop: every millisecond, send what is due by the schedule without waiting for
    // answers (a slow reply delays nothing after it), timing each call from its send.
    await new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      let sent = 0;
      let done = 0;
      const tick = (): void => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
        while (sent < due) {
          const start = performance.now();
          client.findCloudlet(req(sent++)).then(() => {
            lat.push(performance.now() - start);
            if (++done === total) resolve();
          }, reject);
        }
        if (sent < total) setTimeout(tick, 1);
      };
      tick();
    });
    const p50 = pct(lat, 50);
    const p99 = pct(lat, 99);
    console.log(`latency at ${Math.round(rate)}/s: p50 ${two(p50)} ms, p99 ${two(p99)} ms`);
    console.log(
      JSON.stringify({
        ratio: two(ratio),
        p50_ms: two(p50),
        p99_ms: two(p99),
        select_per_s: Math.round(selectPerS),
        find_per_s: Math.round(find.opsPerSec),
        empty_per_s: Math.round(base.opsPerSec),
        load_per_s: Math.round(rate),
        insts,
        concurrency,
      }),
    );
  } finally {
    client.close();
    echo.close();
    await l.close(100);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
