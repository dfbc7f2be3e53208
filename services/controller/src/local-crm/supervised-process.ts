import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import type { Logger } from '@edge/log';

/** How to run one child process. */
export interface ProcessSpec {
  /** For logs, e.g. `crm`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
}

/** Restart delays after a crash: doubling from `minMs` to `maxMs`; a run of `stableMs` resets it. */
export interface RestartPolicy {
  readonly minMs: number;
  readonly maxMs: number;
  readonly stableMs: number;
}

const DEFAULT_RESTART: RestartPolicy = { minMs: 500, maxMs: 30_000, stableMs: 60_000 };

/**
 * One child process kept running: restarted with backoff whenever it exits, until
 * `stop()` (SIGTERM, then SIGKILL after `graceMs`). Output goes to the spec's log file.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private stopped = false;
  private delayMs: number;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private starts = 0;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly log: Logger,
    private readonly restart: RestartPolicy = DEFAULT_RESTART,
  ) {
    this.delayMs = restart.minMs;
  }

  /** The running process id, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times the process was started. */
  get startCount(): number {
    return this.starts;
  }

  start(): void {
    if (this.stopped || this.child) return;
    const out = openSync(this.spec.logFile, 'a');
    try {
      const child = spawn(this.spec.command, [...this.spec.args], {
        cwd: this.spec.cwd,
        env: this.spec.env ?? process.env,
        stdio: ['ignore', out, out],
      });
      this.child = child;
      this.starts++;
      this.startedAt = Date.now();
      child.once('error', (err) =>
        this.log.error({ err, process: this.spec.name }, 'local process failed to start'),
      );
      child.once('exit', (code, signal) => this.exited(child, code, signal));
      this.log.info(
        { process: this.spec.name, pid: child.pid, logFile: this.spec.logFile },
        'local process started',
      );
    } finally {
      closeSync(out);
    }
  }

  /** Stops the process and its restarts; resolves when it has exited. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(kill);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = undefined;
    if (this.stopped) return;
    if (Date.now() - this.startedAt >= this.restart.stableMs) this.delayMs = this.restart.minMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.restart.maxMs, this.delayMs * 2);
    this.log.warn(
      { process: this.spec.name, code, signal, restartInMs: delay },
      'local process exited; restarting',
    );
    this.timer = setTimeout(() => this.start(), delay);
  }
}
