import type { JsonValue } from '@bufbuild/protobuf';
import type { ObjectRegistry, RpcInfo } from '@edge/proto';
import type { Caller } from '../auth/caller';
import type { AuditTags } from '../http/routes';
import type { Fields } from '../http/fields';
import { callController } from './ctrl-call';
import { toMcJson } from './mc-json';
import { readRegionRequest } from './region-request';
import { authorizeRpc, orgOf, type RpcAuthzDeps } from './rpc-authz';

/** Dependencies of the Controller proxy. */
export type ProxyDeps = RpcAuthzDeps & { readonly reg: ObjectRegistry };

/** One proxied call's input, from HTTP or a websocket. */
export interface ProxyInput {
  readonly rpc: RpcInfo;
  readonly caller: Caller;
  readonly fields: Fields;
  readonly traceId: string;
  readonly audit: AuditTags;
  /** Aborted when the client goes away: the Controller call is cancelled. */
  readonly signal?: AbortSignal;
}

/**
 * Runs one region-forwarded call: reads the body, checks RBAC, calls the Controller and
 * hands every reply (filtered for Shows) to `emit` as the original's JSON.
 */
export async function runProxy(
  deps: ProxyDeps,
  input: ProxyInput,
  emit: (data: JsonValue) => void | Promise<void>,
): Promise<void> {
  const { rpc, caller } = input;
  const { region, req } = readRegionRequest(rpc, input.fields);
  input.audit.region = region;
  const org = orgOf(deps.reg, rpc, req);
  if (org) input.audit.org = org;
  const filter = await authorizeRpc(deps, { rpc, caller, region, req, traceId: input.traceId });
  const out = rpc.method.output;
  for await (const m of callController(deps.regions, region, rpc.method, req, input.traceId, input.signal)) {
    const shown = filter ? filter(m) : m;
    if (shown) await emit(toMcJson(out, shown));
  }
}
