import type { Db } from '../db/db';
import type { McArea } from '../mc';
import { createOrgsArea } from '../orgs/area';
import { createPoolsArea } from '../pools/area';
import type { PoolExists } from '../pools/pool-access-mutate';
import { createRolesArea } from '../roles/area';
import type { Rbac } from './authorize';

/** What the orgs, roles and cloudlet-pool access areas need; the hooks come from the regions area. */
export interface RbacAreasDeps {
  readonly db: Db;
  readonly authz: Rbac;
  /** See OrgsAreaDeps.orgInUse. */
  readonly orgInUse?: (org: string) => Promise<string | undefined>;
  /** Whether a cloudlet pool exists in a region (asked of its Controller). */
  readonly poolExists?: PoolExists;
}

/** The orgs, roles and cloudlet-pool access areas. */
export function createRbacAreas(deps: RbacAreasDeps): McArea[] {
  return [createOrgsArea(deps), createRolesArea(deps), createPoolsArea(deps)];
}
