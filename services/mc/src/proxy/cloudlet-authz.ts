import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { Queryable } from '../db/db';
import { forbidden } from '../http/errors';
import type { Action } from '../rbac/authorizer';
import type { Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import type { Regions } from '../regions/regions';
import { grantedPools } from '../pools/granted-pools';
import { keyId, regionPools } from './pools';

/** What the checks need: RBAC, the pool grants, the region's pools. */
export interface CloudletAuthzDeps {
  readonly rbac: Rbac;
  readonly db: Queryable;
  readonly regions: Regions;
}

/** Whether a cloudlet is usable, and whether its operator-only fields must be hidden. */
export interface CloudletVerdict {
  readonly ok: boolean;
  readonly filter: boolean;
}

/**
 * The original's AuthzCloudlet: which cloudlets a user may see and deploy to. Admins and
 * the cloudlet's own operator see all of it; developers see public cloudlets (in no pool)
 * and private ones in pools granted to their org, reduced to the fields they need.
 * Built once per request (one RBAC query each, one pool list from the Controller).
 */
export class CloudletAuthz {
  private constructor(
    private readonly allowAll: boolean,
    private readonly orgs: ReadonlySet<string>,
    private readonly operOrgs: ReadonlySet<string> | 'all',
    /** Cloudlet `<org>/<name>` → in one of the caller's pools. */
    private readonly poolSide: ReadonlyMap<string, boolean>,
  ) {}

  /**
   * `orgFilter` limits to one developer org (a create in that org); 403 when the caller
   * holds `resource`/`action` in no org (or not in `orgFilter`).
   */
  static async build(
    deps: CloudletAuthzDeps,
    region: string,
    subject: string,
    orgFilter: string,
    resource: string,
    action: Action,
    traceId: string,
  ): Promise<CloudletAuthz> {
    const allowed = await deps.rbac.orgsAllowed(subject, resource, action);
    const operOrgs = await deps.rbac.orgsAllowed(subject, Resource.CloudletPools, 'view');
    let orgs: Set<string>;
    if (allowed === 'all') {
      if (orgFilter === '') return new CloudletAuthz(true, new Set(), 'all', new Map());
      orgs = new Set([orgFilter]);
    } else {
      if (orgFilter !== '' && !allowed.has(orgFilter)) throw forbidden();
      orgs = orgFilter !== '' ? new Set([orgFilter]) : new Set(allowed);
    }
    if (orgs.size === 0) throw forbidden();
    const mine = new Set(
      (await grantedPools(deps.db, region, orgFilter || undefined))
        .filter((g) => orgs.has(g.org))
        .map((g) => `${g.poolOrg}/${g.pool}`),
    );
    const poolSide = new Map<string, boolean>();
    for (const pool of await regionPools(deps.regions, region, traceId)) {
      const isMine = mine.has(keyId(pool.key));
      for (const c of pool.cloudlets) {
        const id = keyId(c);
        poolSide.set(id, (poolSide.get(id) ?? false) || isMine);
      }
    }
    return new CloudletAuthz(false, orgs, operOrgs, poolSide);
  }

  /** May the caller use the cloudlet with this key; must its details be reduced. */
  check(key: edgeproto.CloudletKey | undefined): CloudletVerdict {
    if (this.allowAll) return { ok: true, filter: false };
    const org = key?.organization ?? '';
    if (this.orgs.has(org) || this.operOrgs === 'all' || this.operOrgs.has(org))
      return { ok: true, filter: false };
    const side = this.poolSide.get(keyId(key));
    // Public cloudlets are open to every org (billing is not enforced here).
    return { ok: side === undefined ? true : side, filter: true };
  }
}

/** The reduced Cloudlet a developer sees (the original's AuthzCloudlet.Filter). */
export function developerCloudlet(c: edgeproto.Cloudlet): edgeproto.Cloudlet {
  return create(edgeproto.CloudletSchema, {
    ...(c.key ? { key: c.key } : {}),
    ...(c.location ? { location: c.location } : {}),
    state: c.state,
    ipSupport: c.ipSupport,
    numDynamicIps: c.numDynamicIps,
    maintenanceState: c.maintenanceState,
    platformType: c.platformType,
    resTagMap: c.resTagMap,
    trustPolicy: c.trustPolicy,
    trustPolicyState: c.trustPolicyState,
    ...(c.gpuConfig ? { gpuConfig: c.gpuConfig } : {}),
  });
}
