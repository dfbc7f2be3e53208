import type { Db } from '../db/db';
import type { McArea } from '../mc';
import type { Rbac } from '../rbac/authorize';
import { addUserRoleHandler } from './add-user-role';
import { removeUserRoleHandler } from './remove-user-role';
import { showRoleAssignmentHandler, showRoleNamesHandler, showRolePermsHandler } from './show-roles';
import { showUserRolesHandler } from './show-user-roles';

/** `auth/role/*`: role names, permissions, and who holds which role in which org. */
export function createRolesArea(deps: { readonly db: Db; readonly authz: Rbac }): McArea {
  return {
    register: (routes) => {
      routes.auth('role/show', showRoleNamesHandler(deps));
      routes.auth('role/perms/show', showRolePermsHandler(deps));
      routes.auth('role/assignment/show', showRoleAssignmentHandler(deps));
      routes.auth('role/adduser', addUserRoleHandler(deps));
      routes.auth('role/removeuser', removeUserRoleHandler(deps));
      routes.auth('role/showuser', showUserRolesHandler(deps));
    },
  };
}
