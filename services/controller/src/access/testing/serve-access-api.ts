import { silentLogger } from '@edge/log';
import type { edgeproto } from '@edge/proto';
import { createServer, insecureServer, listen } from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import type { ControllerHarness } from '../../testing/harness';
import { createAccessApi, type AccessApi } from '../access-api';
import { commitAccessKey } from '../commit-access-key';

/** A test Controller's access API (CloudletAccessApi + UpgradeAccessKey) on a loopback port. */
export interface ServedAccessApi {
  readonly api: AccessApi;
  readonly address: string;
  close(): Promise<void>;
}

/** Serves the access API of harness `h` as the Controller's main does (insecure, no auth delay). */
export async function serveAccessApi(h: ControllerHarness): Promise<ServedAccessApi> {
  const log = silentLogger();
  const api = createAccessApi({
    secrets: new MemorySecretStore(),
    lookupCloudlet: async (keyJson) => h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet').get(keyJson),
    commitAccessKey: commitAccessKey(h.ctrl.apiDeps),
    badAuthDelayMs: 0,
    log,
  });
  const server = createServer();
  api.register(server, { log, logCalls: false });
  const listening = await listen(server, '127.0.0.1:0', insecureServer());
  return { api, address: `127.0.0.1:${listening.port}`, close: () => listening.close(100) };
}
