/**
 * Starting an AppInst process: the App's command under `sh -c`, or the built-in responder,
 * detached in its own process group with output to log files, so it outlives the CRM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { PortSpec } from './ports';

/** What to run and where it listens. */
export interface LaunchSpec {
  readonly dir: string;
  readonly app: string;
  readonly command: string | undefined;
  readonly bindHost: string;
  readonly ports: readonly PortSpec[];
  readonly responderPath: string;
}

/** A started process; `exited` resolves when it ends while this object's process lives. */
export interface Launched {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment variables kept from the CRM's own: enough for a shell to find programs, no secrets. */
const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];

/** Env of an App command: PORT (first public port), PORTS (all, comma-separated), HOST (bind address). */
export function commandEnv(bindHost: string, ports: readonly PortSpec[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  env['HOST'] = bindHost;
  env['PORT'] = String(ports[0]?.port ?? '');
  env['PORTS'] = ports.map((p) => p.port).join(',');
  return env;
}

/** Spawns the process; output goes to `out.log` and `err.log` in `spec.dir`. */
export function launch(spec: LaunchSpec): Launched {
  const out = openSync(join(spec.dir, 'out.log'), 'a');
  const err = openSync(join(spec.dir, 'err.log'), 'a');
  try {
    const env = commandEnv(spec.bindHost, spec.ports);
    const [file, args] = spec.command
      ? ['/bin/sh', ['-c', spec.command]]
      : [process.execPath, [spec.responderPath]];
    if (!spec.command) {
      env['EDGE_RESPONDER'] = JSON.stringify({
        app: spec.app,
        host: spec.bindHost,
        tcp: spec.ports.filter((p) => p.proto === 'tcp').map((p) => p.port),
        udp: spec.ports.filter((p) => p.proto === 'udp').map((p) => p.port),
      });
    }
    const child = spawn(file, args, { cwd: spec.dir, env, detached: true, stdio: ['ignore', out, err] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    return { pid: child.pid, child, exited };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

/** The last lines of a log file (at most ~`maxChars` bytes of it), trimmed; '' when absent. */
export function logTail(file: string, maxChars = 500): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, maxChars);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').trim().split('\n');
    // A cut-off first line is dropped unless it is the only one.
    return (size > maxChars && lines.length > 1 ? lines.slice(1) : lines).join('\n').trim();
  } finally {
    closeSync(fd);
  }
}
