import type { Db } from '../db/db';
import type { McArea } from '../mc';
import type { Rbac } from '../rbac/authorize';
import { INVITATION, RESPONSE } from './pool-access-model';
import { poolAccessHandler, type PoolExists } from './pool-access-mutate';
import { showPoolAccessHandler } from './pool-access-show';

export interface PoolsAreaDeps {
  readonly db: Db;
  readonly authz: Rbac;
  /** Asks the region's Controller whether the pool exists (the regions area provides it). */
  readonly poolExists?: PoolExists;
}

/** The cloudlet-pool access routes: operator invitations, developer responses, and what is granted or pending. */
export function createPoolsArea(deps: PoolsAreaDeps): McArea {
  return {
    register: (routes) => {
      for (const type of [INVITATION, RESPONSE] as const) {
        routes.auth(`cloudletpoolaccess${type}/create`, poolAccessHandler(deps, 'create', type));
        routes.auth(`cloudletpoolaccess${type}/delete`, poolAccessHandler(deps, 'delete', type));
        routes.auth(`cloudletpoolaccess${type}/show`, showPoolAccessHandler(deps, type));
      }
      routes.auth('cloudletpoolaccessgranted/show', showPoolAccessHandler(deps, 'granted'));
      routes.auth('cloudletpoolaccesspending/show', showPoolAccessHandler(deps, 'pending'));
    },
  };
}
