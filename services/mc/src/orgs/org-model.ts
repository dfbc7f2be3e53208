/** Org types; `admin` is reserved by the original and never created. */
export const OrgTypeDeveloper = 'developer';
export const OrgTypeOperator = 'operator';
export type OrgType = typeof OrgTypeDeveloper | typeof OrgTypeOperator;

/** Reserved org names: only admins may create them. */
export const ORG_MOBILEDGEX = 'MobiledgeX';
export const ORG_EDGEBOX = 'EdgeBox';

/** An `organizations` row as pg returns it. */
export interface OrgRow {
  name: string;
  type: string;
  address: string;
  phone: string;
  public_images: boolean;
  delete_in_progress: boolean;
  parent: string;
  edgebox_only: boolean;
  created_at: Date;
  updated_at: Date;
}

/** An organization. */
export interface Org {
  readonly name: string;
  readonly type: string;
  readonly address: string;
  readonly phone: string;
  readonly publicImages: boolean;
  readonly deleteInProgress: boolean;
  /** Billing org parent ('' = none). */
  readonly parent: string;
  /** Operator org restricted to EDGEBOX cloudlets until an admin clears it. */
  readonly edgeboxOnly: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function orgRowToOrg(r: OrgRow): Org {
  return {
    name: r.name,
    type: r.type,
    address: r.address,
    phone: r.phone,
    publicImages: r.public_images,
    deleteInProgress: r.delete_in_progress,
    parent: r.parent,
    edgeboxOnly: r.edgebox_only,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The original's JSON of an Organization: Go field names, `omitempty` on everything but
 * Name, Type and the timestamps.
 */
export function orgJson(o: Org): Record<string, unknown> {
  return {
    Name: o.name,
    Type: o.type,
    ...(o.address ? { Address: o.address } : {}),
    ...(o.phone ? { Phone: o.phone } : {}),
    CreatedAt: o.createdAt.toISOString(),
    UpdatedAt: o.updatedAt.toISOString(),
    ...(o.publicImages ? { PublicImages: true } : {}),
    ...(o.deleteInProgress ? { DeleteInProgress: true } : {}),
    ...(o.parent ? { Parent: o.parent } : {}),
    ...(o.edgeboxOnly ? { EdgeboxOnly: true } : {}),
  };
}
