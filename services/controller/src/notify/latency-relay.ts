import { fromJsonString } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { NotifyServer } from '@edge/notify';
import { edgeproto } from '@edge/proto';
import type { RegionCache } from '@edge/store';
import { LATENCY_REQUEST_PATH } from '../api/appinstlatency-api';

/** The notify message type of latency requests (sent down to DMEs). */
export const LATENCY_REQUEST_TYPE = 'edgeproto.AppInstLatency';

/**
 * Passes every latency request announced in the region (by this or another Controller,
 * see `appInstLatencyHandlers`) down to this Controller's notify children that ask for
 * `edgeproto.AppInstLatency` — its DMEs. Returns the unsubscribe.
 */
export function relayLatencyRequests(cache: RegionCache, server: NotifyServer, log: Logger): () => void {
  return cache.onRaw(LATENCY_REQUEST_PATH, (c) => {
    if (c.type !== 'put') return;
    let req: edgeproto.AppInstLatency;
    try {
      req = fromJsonString(edgeproto.AppInstLatencySchema, c.value);
    } catch (err) {
      log.warn({ err, record: c.key }, 'skipping a latency request record that does not decode');
      return;
    }
    const dmes = server.message(LATENCY_REQUEST_TYPE, req);
    log.info({ appInst: req.key, dmes }, 'latency request sent down to DMEs');
  });
}
