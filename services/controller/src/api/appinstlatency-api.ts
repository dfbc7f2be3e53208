import { randomUUID } from 'node:crypto';
import { create, toJsonString } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { notFoundError } from '../crud/errors';
import { validateKey } from '../crud/key-validation';
import type { RpcHandler } from '../grpc/services';
import { appInstKeyDefaults } from './appinst-api';
import type { ApiDeps } from './rules';

/**
 * Where a latency request is announced to every Controller of the region: a raw record
 * `<region>/AppInstLatencyRequest/<uuid>`, written and removed at once. Each Controller
 * watches the region and passes the request down to its own DMEs (`relayLatencyRequests`),
 * as the original's notifyroot reached the DMEs of every Controller.
 */
export const LATENCY_REQUEST_PATH = 'AppInstLatencyRequest/';

/** The original DME's answer to the request, returned as the Result message. */
export const LATENCY_REQUESTED = 'successfully sent latency request';

/**
 * RequestAppInstLatency: checks the AppInst (key defaults, key rules, `AppInst key {…} not
 * found`), announces the request to the region's Controllers, which send it down the notify
 * tree to the DMEs; every DME asks the devices with an open edge-events stream to that
 * instance for latency samples (EVENT_LATENCY_REQUEST). Fire and forget: the answer does
 * not wait for the devices.
 */
export function appInstLatencyHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  return {
    RequestAppInstLatency: async (req: edgeproto.AppInstLatency) => {
      const inst = create(edgeproto.AppInstSchema, { key: req.key ?? {} });
      appInstKeyDefaults(inst);
      validateKey('AppInstKey', inst.key ?? {});
      const t = deps.reg.get('AppInst');
      if (!deps.cache.get(t, inst)) throw notFoundError(t, inst);
      const record = `${deps.region}/${LATENCY_REQUEST_PATH}${randomUUID()}`;
      const value = toJsonString(
        edgeproto.AppInstLatencySchema,
        create(edgeproto.AppInstLatencySchema, { key: inst.key }),
      );
      await deps.kv.put(record, value);
      // Watchers saw the put; the record itself is not kept.
      await deps.kv.delete(record).catch((err: unknown) => {
        deps.log.warn({ err, record }, 'removing a latency request record failed');
      });
      deps.log.info({ appInst: req.key }, 'AppInst latency requested');
      return create(edgeproto.ResultSchema, { message: LATENCY_REQUESTED });
    },
  };
}
