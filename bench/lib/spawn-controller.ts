import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A Controller running in a child process. */
export interface ControllerProcess {
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `controller-server.ts` with tsx and waits for its address. `nodeFlags` go to its node
 * (e.g. `--cpu-prof`, from `BENCH_CONTROLLER_NODE_FLAGS`).
 */
export async function spawnController(
  root: string,
  etcd: string,
  region: string,
  nodeFlags: readonly string[] = [],
): Promise<ControllerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', join(root, 'bench', 'lib', 'controller-server.ts'), etcd, region],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`controller process exited (${code}) before listening`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address,
    pid: child.pid ?? 0,
    stop: async () => {
      child.stdin?.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
