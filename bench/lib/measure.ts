import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Raw timings of one run of a phase. */
export interface PhaseRun {
  /** Latency of each operation, ms. */
  readonly latencies: readonly number[];
  readonly seconds: number;
}

/** Throughput and latency of one benchmark phase. */
export interface PhaseResult {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Limits of a phase: it stops at whichever comes first. */
export interface PhaseLimits {
  readonly maxOps: number;
  readonly maxMs: number;
}

/**
 * Runs `op(i)` with `concurrency` workers until `maxOps` operations were started or `maxMs`
 * passed, timing each operation; an operation that throws aborts the phase.
 */
export async function runPhase(
  concurrency: number,
  limits: PhaseLimits,
  op: (i: number, worker: number) => Promise<void>,
): Promise<PhaseRun> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + limits.maxMs;
  const worker = async (w: number): Promise<void> => {
    while (next < limits.maxOps && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      await op(i, w);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

/** Combines runs of the same phase (interleaved with other phases to spread the machine's noise). */
export function summarize(runs: readonly PhaseRun[]): PhaseResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    ops: latencies.length,
    seconds,
    opsPerSec: latencies.length / seconds,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}

/** One human-readable line of a phase. */
export function describe(label: string, r: PhaseResult): string {
  const f = (n: number): string => n.toFixed(2);
  return (
    `${label.padEnd(36)} ${String(r.ops).padStart(6)} ops in ${r.seconds.toFixed(2)} s ` +
    `${r.opsPerSec.toFixed(0).padStart(6)} ops/s  p50 ${f(r.p50Ms)} ms  p99 ${f(r.p99Ms)} ms  max ${f(r.maxMs)} ms`
  );
}

/** Rounds the figures of a phase for the JSON line. */
export function rounded(r: PhaseResult): Record<string, number> {
  const two = (n: number): number => Math.round(n * 100) / 100;
  return {
    ops: r.ops,
    ops_per_sec: two(r.opsPerSec),
    p50_ms: two(r.p50Ms),
    p99_ms: two(r.p99Ms),
    max_ms: two(r.maxMs),
  };
}

/**
 * A full garbage collection, so that a timed run does not pay for garbage an earlier one
 * left (run before each measured round, baseline and subject alike). Uses V8's `gc`,
 * exposed at run time; a no-op where that is not possible.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
  gc?.();
}
