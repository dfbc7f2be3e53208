/**
 * A Controller for benchmarks in its own process (as in production, where MC is the client):
 * `tsx bench/lib/controller-server.ts <etcd host:port> <region>` serves it on a loopback port,
 * prints `listening <address>` once ready and stops on SIGTERM or when stdin closes.
 */
import { startController } from '../../services/controller/src/testing/harness';

async function main(): Promise<void> {
  const [etcd, region] = process.argv.slice(2);
  if (!etcd || !region) throw new Error('usage: controller-server.ts <etcd host:port> <region>');
  const h = await startController({ etcd, region });
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void h.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  console.log(`listening ${h.address}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
