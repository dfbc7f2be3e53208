import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary `scripts/test-env` runs. */
export const ALERTMANAGER_BIN = process.env['EDGE_ALERTMANAGER_BIN'] ?? 'prometheus-alertmanager';

/** An Alertmanager of a test's own, on a free port with a throwaway directory. */
export interface AlertmanagerProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The configuration file it reads (the MC writes it). */
  readonly configFile: string;
  /** Its output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const MINIMAL_CONFIG = `route:\n  receiver: default\nreceivers:\n  - name: default\n`;

/**
 * Starts `prometheus-alertmanager` with the flags `scripts/test-env` uses (no cluster,
 * storage in a temp dir) on a free port, with a minimal configuration; resolves when
 * `/-/ready` answers.
 */
export async function startAlertmanager(): Promise<AlertmanagerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'mc-am-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, MINIMAL_CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited: ${out}`);
    }
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(500) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager not ready within 15 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, configFile, output: () => out, stop };
}
