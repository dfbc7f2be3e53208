import type { RpcHandler } from '../grpc/services';
import { appInstLatencyHandlers } from './appinstlatency-api';
import { cloudletExtrasHandlers } from './cloudlet-extras-api';
import { infoShowHandlers } from './info-show-api';
import { organizationHandlers } from './organization-api';
import type { ApiDeps } from './rules';
import { vmPoolHandlers } from './vmpool-api';

/** Cloudlet extras, VM pool members, OrganizationInUse, the Info shows and RequestAppInstLatency, by RPC name. */
export function extraHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  return {
    ...cloudletExtrasHandlers(deps),
    ...vmPoolHandlers(deps),
    ...organizationHandlers(deps),
    ...infoShowHandlers(deps),
    ...appInstLatencyHandlers(deps),
  };
}
