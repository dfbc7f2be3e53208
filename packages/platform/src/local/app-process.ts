/**
 * The life of one AppInst process: start it and wait until its ports answer, stop it
 * (SIGTERM to its process group, SIGKILL after a grace period) and wait until its ports
 * are closed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Code, EdgeError } from '@edge/errors';
import type { Logger } from '@edge/log';
import { abortedError } from '../abort';
import type { OpContext } from '../platform';
import { launch, logTail, type Launched } from './launch';
import { portOpen, type PortSpec } from './ports';
import { groupMembers, isAlive, processStartTime, signalGroup } from './proc';
import type { AppInstRecord, RecordStore } from './records';

/** Timing and placement of local processes. */
export interface ProcessOptions {
  readonly bindHost: string;
  /** How long a new process may take to open its ports. */
  readonly portWaitMs: number;
  /** How long a process may take to exit after SIGTERM before it gets SIGKILL. */
  readonly stopGraceMs: number;
  readonly pollMs: number;
  readonly responderPath: string;
}

/** What to start: the record without what only the start knows. */
export type InstanceSpec = Omit<AppInstRecord, 'pid' | 'startTime' | 'startedAt' | 'bindHost'>;

/** Whether the record's process is running (same pid, same start time). */
export function instanceAlive(rec: AppInstRecord): boolean {
  return isAlive(rec.pid, rec.startTime);
}

const portName = (p: PortSpec): string => (p.proto === 'udp' ? `udp port ${p.port}` : `port ${p.port}`);

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;

/**
 * Starts the instance and resolves once every port is served. On failure nothing is
 * left behind: the process is stopped and its directory removed.
 */
export async function startInstance(
  store: RecordStore,
  spec: InstanceSpec,
  opts: ProcessOptions,
  ctx: OpContext,
): Promise<AppInstRecord> {
  for (const p of spec.ports) {
    if (await portOpen(opts.bindHost, p, false)) {
      throw new EdgeError(Code.FAILED_PRECONDITION, `${portName(p)} is already in use on ${opts.bindHost}`);
    }
  }
  const dir = store.dir('appinsts', spec.name);
  mkdirSync(dir, { recursive: true });
  let launched: Launched;
  try {
    launched = launch({
      dir,
      app: spec.app,
      command: spec.command,
      bindHost: opts.bindHost,
      ports: spec.ports,
      responderPath: opts.responderPath,
    });
  } catch (err) {
    store.remove('appinsts', spec.name);
    throw new EdgeError(Code.UNKNOWN, `could not start ${spec.app}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const startTime = processStartTime(launched.pid);
  const rec: AppInstRecord = {
    ...spec,
    pid: launched.pid,
    ...(startTime === undefined ? {} : { startTime }),
    bindHost: opts.bindHost,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, 'pid'), `${launched.pid}\n`);
  store.write('appinsts', spec.name, rec);
  ctx.log.info({ app: spec.app, pid: launched.pid, ports: spec.ports }, 'started app instance process');
  ctx.progress.step('Waiting for ports');
  try {
    await waitForPorts(rec, dir, launched, opts, ctx);
  } catch (err) {
    await stopInstance(rec, opts, ctx.log);
    store.remove('appinsts', spec.name);
    throw err;
  }
  return rec;
}

async function waitForPorts(
  rec: AppInstRecord,
  dir: string,
  launched: Launched,
  opts: ProcessOptions,
  ctx: OpContext,
): Promise<void> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void launched.exited.then((e) => (exit = e));
  const deadline = Date.now() + opts.portWaitMs;
  let pending = [...rec.ports];
  for (;;) {
    if (ctx.signal.aborted) throw abortedError(ctx.signal, 'waiting for ports');
    const still: PortSpec[] = [];
    for (const p of pending) if (!(await portOpen(rec.bindHost, p, true))) still.push(p);
    pending = still;
    if (exit) throw exitedError(rec, dir, exit);
    if (pending.length === 0) return;
    const first = pending[0]!;
    if (Date.now() > deadline) {
      const tail = logTail(join(dir, 'err.log'));
      if (tail) ctx.log.warn({ app: rec.app, stderr: tail }, 'app instance did not open its ports');
      throw new EdgeError(
        Code.DEADLINE_EXCEEDED,
        `${portName(first)} did not open within ${seconds(opts.portWaitMs)}`,
      );
    }
    await pause(opts.pollMs, ctx.signal, launched.exited);
  }
}

/** `<app> exited with code 3: <stderr tail>` (stdout's tail when stderr is empty). */
function exitedError(
  rec: AppInstRecord,
  dir: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
): EdgeError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  const tail = logTail(join(dir, 'err.log')) || logTail(join(dir, 'out.log'));
  return new EdgeError(Code.UNKNOWN, tail ? `${rec.app} ${how}: ${tail}` : `${rec.app} ${how}`);
}

/** Waits `ms`, returning early when the signal aborts or the process exits. */
function pause(ms: number, signal: AbortSignal, exited: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    void exited.then(done);
  });
}

/**
 * Stops the instance's processes: SIGTERM to the group, SIGKILL after the grace period,
 * then SIGKILL to whatever of the group outlived its leader. Waits (bounded) until the
 * ports are closed; a port still open after that is logged, not an error: the process is
 * gone and the port belongs to someone else.
 */
export async function stopInstance(rec: AppInstRecord, opts: ProcessOptions, log: Logger): Promise<void> {
  if (instanceAlive(rec)) {
    signalGroup(rec.pid, 'SIGTERM');
    if (!(await until(() => !instanceAlive(rec), opts.stopGraceMs, opts.pollMs))) {
      log.warn({ app: rec.app, pid: rec.pid }, 'app instance ignored SIGTERM, killing it');
      signalGroup(rec.pid, 'SIGKILL');
      await until(() => !instanceAlive(rec), opts.stopGraceMs, opts.pollMs);
    }
  }
  for (const pid of groupMembers(rec.pid, rec.startTime)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const closed = await untilAsync(
    async () => {
      for (const p of rec.ports) if (await portOpen(rec.bindHost, p, false)) return false;
      return true;
    },
    opts.portWaitMs,
    opts.pollMs,
  );
  if (!closed) log.warn({ app: rec.app, ports: rec.ports }, 'ports of a stopped app instance are still open');
}

async function until(cond: () => boolean, ms: number, pollMs: number): Promise<boolean> {
  return untilAsync(() => Promise.resolve(cond()), ms, pollMs);
}

async function untilAsync(cond: () => Promise<boolean>, ms: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
