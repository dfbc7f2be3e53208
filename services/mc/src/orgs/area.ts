import type { Db } from '../db/db';
import type { McArea } from '../mc';
import type { Rbac } from '../rbac/authorize';
import { createOrgHandler } from './create-org';
import { deleteOrgHandler } from './delete-org';
import { showOrgHandler } from './show-org';
import { updateOrgHandler } from './update-org';

/** What the orgs area needs. */
export interface OrgsAreaDeps {
  readonly db: Db;
  readonly authz: Rbac;
  /**
   * Asks every region whether `org` still owns objects there; resolves the reason
   * (e.g. `region X: <why>; region Y: <why>`) when it does or the check failed,
   * undefined when the org is free. The reply then reads
   * `Organization <org> in use or check failed: <reason>`.
   */
  readonly orgInUse?: (org: string) => Promise<string | undefined>;
}

/** `auth/org/{create,update,show,delete}` and `auth/restricted/org/update`. */
export function createOrgsArea(deps: OrgsAreaDeps): McArea {
  return {
    register: (routes) => {
      routes.auth('org/create', createOrgHandler(deps));
      routes.auth('org/update', updateOrgHandler(deps, false));
      routes.auth('org/show', showOrgHandler(deps));
      routes.auth('org/delete', deleteOrgHandler(deps));
      routes.auth('restricted/org/update', updateOrgHandler(deps, true));
    },
  };
}
