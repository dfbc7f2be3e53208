import type { Queryable } from '../db/db';
import type { Action } from './authorizer';

/** The two actions, as stored in `role_perms.action`. */
export const ActionView = 'view' satisfies Action;
export const ActionManage = 'manage' satisfies Action;

/** RBAC resources (the original's `Resource*` names). */
export const Resource = {
  Billing: 'billing',
  Controllers: 'controllers',
  Users: 'users',
  Apps: 'apps',
  AppInsts: 'appinsts',
  Clusters: 'clusters',
  ClusterInsts: 'clusterinsts',
  AppAnalytics: 'appanalytics',
  ClusterAnalytics: 'clusteranalytics',
  Cloudlets: 'cloudlets',
  CloudletPools: 'cloudletpools',
  CloudletAnalytics: 'cloudletanalytics',
  ClusterFlavors: 'clusterflavors',
  Flavors: 'flavors',
  Config: 'config',
  Alert: 'alert',
  DeveloperPolicy: 'developerpolicy',
  ResTagTable: 'restagtbl',
} as const;
export type ResourceName = (typeof Resource)[keyof typeof Resource];

/** Every resource a permission can name (API-key permissions are validated against it). */
export const ALL_RESOURCES: readonly ResourceName[] = Object.values(Resource);

/** Resources that belong to developer orgs (requiresOrg checks the org is of type developer). */
export const DEVELOPER_RESOURCES: readonly ResourceName[] = [
  Resource.Apps,
  Resource.AppInsts,
  Resource.Clusters,
  Resource.ClusterInsts,
  Resource.AppAnalytics,
  Resource.ClusterAnalytics,
  Resource.DeveloperPolicy,
  Resource.Alert,
];

/** Resources that belong to operator orgs. `alert` is in both lists; the developer list wins. */
export const OPERATOR_RESOURCES: readonly ResourceName[] = [
  Resource.Cloudlets,
  Resource.CloudletAnalytics,
  Resource.ResTagTable,
  Resource.CloudletPools,
  Resource.Alert,
];

/** The built-in roles. */
export const Role = {
  AdminManager: 'AdminManager',
  AdminContributor: 'AdminContributor',
  AdminViewer: 'AdminViewer',
  DeveloperManager: 'DeveloperManager',
  DeveloperContributor: 'DeveloperContributor',
  DeveloperViewer: 'DeveloperViewer',
  OperatorManager: 'OperatorManager',
  OperatorContributor: 'OperatorContributor',
  OperatorViewer: 'OperatorViewer',
  BillingManager: 'BillingManager',
} as const;
export type RoleName = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly RoleName[] = Object.values(Role);
export const ADMIN_ROLES: readonly string[] = [Role.AdminManager, Role.AdminContributor, Role.AdminViewer];
export const DEVELOPER_ROLES: readonly string[] = [
  Role.DeveloperManager,
  Role.DeveloperContributor,
  Role.DeveloperViewer,
];
export const OPERATOR_ROLES: readonly string[] = [
  Role.OperatorManager,
  Role.OperatorContributor,
  Role.OperatorViewer,
];
/** Roles of which an org must keep at least one holder. */
export const MANAGER_ROLES: readonly string[] = [
  Role.AdminManager,
  Role.DeveloperManager,
  Role.OperatorManager,
];

/** Suffix of the per-API-key role `<apikeyid>-role`. */
export const API_KEY_ROLE_SUFFIX = '-role';
export const apiKeyRoleName = (apiKeyId: string): string => apiKeyId + API_KEY_ROLE_SUFFIX;
export const isApiKeyRole = (role: string): boolean => role.endsWith(API_KEY_ROLE_SUFFIX);
export const isAdminRole = (role: string): boolean => ADMIN_ROLES.includes(role);
export const isDeveloperRole = (role: string): boolean => DEVELOPER_ROLES.includes(role);
export const isOperatorRole = (role: string): boolean => OPERATOR_ROLES.includes(role);

/** M = manage (and so view), V = view, - = nothing. */
type Grant = 'M' | 'V' | '-';

/** Column order of the grant strings below. */
const COLUMNS: readonly RoleName[] = [
  Role.AdminManager,
  Role.AdminContributor,
  Role.AdminViewer,
  Role.DeveloperManager,
  Role.DeveloperContributor,
  Role.DeveloperViewer,
  Role.OperatorManager,
  Role.OperatorContributor,
  Role.OperatorViewer,
  Role.BillingManager,
];

const DEV = 'MMVMMV----';
const OPER = 'MMV---MMV-';

/** The original's InitRolePerms as a table: one grant per role, in COLUMNS order. */
const MATRIX: Readonly<Record<ResourceName, string>> = {
  apps: DEV,
  appinsts: DEV,
  clusters: DEV,
  clusterinsts: DEV,
  appanalytics: DEV,
  clusteranalytics: DEV,
  developerpolicy: DEV,
  alert: 'MMVMMVMMV-',
  cloudlets: 'MMVVVVMMV-',
  cloudletanalytics: OPER,
  restagtbl: OPER,
  cloudletpools: OPER,
  flavors: 'M--VVV----',
  clusterflavors: 'M--VVV----',
  users: 'MVVMVVMVVM',
  billing: 'MV-M-----M',
  controllers: 'M---------',
  config: 'M---------',
};

/** One `role_perms` row. */
export interface RolePerm {
  readonly role: string;
  readonly resource: string;
  readonly action: Action;
}

/** The built-in permissions, manage expanded to manage + view. */
export function builtinRolePerms(): RolePerm[] {
  const out: RolePerm[] = [];
  for (const [resource, grants] of Object.entries(MATRIX)) {
    COLUMNS.forEach((role, i) => {
      const g = grants[i] as Grant;
      if (g === 'M') out.push({ role, resource, action: ActionManage });
      if (g === 'M' || g === 'V') out.push({ role, resource, action: ActionView });
    });
  }
  return out;
}

/**
 * Makes `role_perms` hold exactly the built-in matrix for the built-in roles (API-key
 * roles are left alone). Safe to run on every start and from several MCs at once.
 */
export async function ensureRolePerms(db: Queryable): Promise<void> {
  const perms = builtinRolePerms();
  const roles = perms.map((p) => p.role);
  const resources = perms.map((p) => p.resource);
  const actions = perms.map((p) => p.action);
  await db.query(
    `INSERT INTO role_perms (role, resource, action)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT DO NOTHING`,
    [roles, resources, actions],
  );
  await db.query(
    `DELETE FROM role_perms
     WHERE role = ANY($1::text[])
       AND (role, resource, action) NOT IN (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
    [ALL_ROLES, roles, resources, actions],
  );
}
