import type { NotifyCodec } from '@edge/notify';
import type { Platform } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import type { CrmCache } from './crm-cache';
import type { TimeLimitField } from './kinds';
import type { OpDeps } from './op-runner';
import { opTimeLimitMs, settingsOf } from './time-limits';

/** What the instance operations and the reconciler work with. */
export interface InstDeps extends OpDeps {
  readonly platform: Platform;
  /** The desired state (what the Controller sent). */
  readonly cache: CrmCache;
  /** Key JSON of this CRM's cloudlet. */
  readonly cloudletKeyJson: string;
  readonly codec: NotifyCodec;
}

/** The time limit of an operation for this cloudlet. */
export function timeLimitMs(deps: InstDeps, field: TimeLimitField): number {
  const get = (type: string, key: string): unknown => deps.cache.get(type, key);
  const cloudlet = deps.cache.get<edgeproto.Cloudlet>(
    edgeproto.CloudletSchema.typeName,
    deps.cloudletKeyJson,
  );
  return opTimeLimitMs(field, settingsOf(get), cloudlet);
}
