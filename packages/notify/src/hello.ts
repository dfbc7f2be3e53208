import type { ConnectionInfo, ConnectionPolicy } from './contract';
import type { Notice } from './wire';

/** What a child said in its VERSION notice. */
export interface Hello {
  /** Protocol version the child speaks. */
  readonly version: number;
  /** Types it wants to receive. */
  readonly wants: ReadonlySet<string>;
  /** It asked for its own cloudlet's objects only (a CRM). */
  readonly filterCloudletKey: boolean;
  /** Its node name (tag `name`). */
  readonly name: string;
  /** Last revision it applied (0: none, a full send is needed). */
  readonly resumeRevision: number;
  /** Every tag it sent. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Makes the policy of one connection (e.g. the CRM cloudlet filter when `filterCloudletKey`). */
export type PolicyFactory = (conn: ConnectionInfo, hello: Hello) => ConnectionPolicy;

/** A policy that lets everything through and sends SENDALL_END at once. */
export const allowAll: PolicyFactory = () => ({ allows: () => true });

/** Reads a child's VERSION notice. */
export function helloOf(n: Notice): Hello {
  return {
    version: n.version,
    wants: new Set(n.wantObjs),
    filterCloudletKey: n.filterCloudletKey,
    name: n.tags['name'] ?? '',
    resumeRevision: Number(n.resumeRev),
    tags: { ...n.tags },
  };
}
