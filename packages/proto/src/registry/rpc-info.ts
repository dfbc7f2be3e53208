import { getOption, type DescMethod } from '@bufbuild/protobuf';
import {
  type RbacAction,
  admin_only,
  cli_verb,
  method_rbac_resource,
  rbac_org_field,
  rbac_action,
  stream_progress,
} from '../gen/options/options_pb';
import type { ObjectType } from './object-type';

/** What the MC, the CLI and the RBAC checks need to know about one Controller RPC. */
export interface RpcInfo {
  /** RPC name, e.g. `CreateAppInst` (also the MC route `/api/v1/auth/ctrl/CreateAppInst`). */
  readonly name: string;
  readonly method: DescMethod;
  /** The object the RPC is about (the service's object), if any. */
  readonly object: ObjectType | undefined;
  readonly rbacResource: string;
  /** Path of the request field holding the org to check, e.g. `key.app_key.organization`. */
  readonly rbacOrgField: string;
  readonly rbacAction: RbacAction;
  readonly adminOnly: boolean;
  /** Streams `Result` progress messages until the CRM finishes. */
  readonly streamProgress: boolean;
  /** CLI verb under the object's command group. */
  readonly cliVerb: string;
}

/**
 * Reads an RPC's options. The RBAC resource falls back to the object's; the org field is
 * the request message's own (e.g. `AppAutoProvPolicy.app_key.organization`), else the object's.
 */
export function rpcInfoOf(method: DescMethod, object: ObjectType | undefined): RpcInfo {
  return {
    name: method.name,
    method,
    object,
    rbacResource: getOption(method, method_rbac_resource) || object?.rbacResource || '',
    rbacOrgField: getOption(method.input, rbac_org_field) || object?.rbacOrgField || '',
    rbacAction: getOption(method, rbac_action),
    adminOnly: getOption(method, admin_only),
    streamProgress: getOption(method, stream_progress),
    cliVerb: getOption(method, cli_verb),
  };
}
