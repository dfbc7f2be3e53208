import { invalidArgument } from '@edge/errors';
import type { Fields } from '../http/fields';

/** `org_cloudlet_pools.type`: the operator's invitation or the developer's response. */
export const INVITATION = 'invitation';
export const RESPONSE = 'response';
export type AccessType = typeof INVITATION | typeof RESPONSE;
export const DECISION_ACCEPT = 'accept';
export const DECISION_REJECT = 'reject';

/** One `org_cloudlet_pools` row. */
export interface PoolAccessRow {
  org: string;
  region: string;
  cloudlet_pool: string;
  cloudlet_pool_org: string;
  type: string;
  decision: string;
}

/** The request body (the original's OrgCloudletPool, read case-insensitively). */
export interface PoolAccess {
  readonly org: string;
  readonly region: string;
  readonly cloudletPool: string;
  readonly cloudletPoolOrg: string;
  readonly decision: string;
}

/** Reads and checks the four key fields of a create/delete request. */
export function readPoolAccess(f: Fields): PoolAccess {
  const a = {
    org: f.str('Org'),
    region: f.str('Region'),
    cloudletPool: f.str('CloudletPool'),
    cloudletPoolOrg: f.str('CloudletPoolOrg'),
    decision: f.str('Decision'),
  };
  if (a.org === '') throw invalidArgument('Organization name not specified');
  if (a.region === '') throw invalidArgument('Region not specified');
  if (a.cloudletPool === '') throw invalidArgument('CloudletPool name not specified');
  if (a.cloudletPoolOrg === '') throw invalidArgument('CloudletPool organization not specified');
  return a;
}

/** The original's JSON: Go field names, Type and Decision omitted when empty. */
export function poolAccessJson(r: PoolAccessRow, showType: boolean): Record<string, string> {
  return {
    Org: r.org,
    Region: r.region,
    CloudletPool: r.cloudlet_pool,
    CloudletPoolOrg: r.cloudlet_pool_org,
    ...(showType && r.type ? { Type: r.type } : {}),
    ...(r.decision ? { Decision: r.decision } : {}),
  };
}
