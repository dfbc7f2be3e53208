import type { ConnectionPolicy } from '@edge/notify';
import { crmPolicy, type PolicyDeps } from './crm-policy';

/** The policy of an unfiltered child (DME, auto-provisioner, …): everything it wants. */
export function defaultPolicy(): ConnectionPolicy {
  return { allows: () => true };
}

/** What the engine knows of a child when it accepts the connection. */
export interface ConnectionHello {
  /** The child asked for `filter_cloudlet_key` (a CRM). */
  readonly filterCloudletKey: boolean;
  /** The child's cloudlet (CloudletKey JSON), when known (access-key identity). */
  readonly cloudlet?: string;
  /** The revision the child resumes from, if it resumes. */
  readonly resumeFrom?: number;
}

/** The policy of a new connection: the CRM filter when asked for, else everything. */
export function connectionPolicy(deps: PolicyDeps, hello: ConnectionHello): ConnectionPolicy {
  if (!hello.filterCloudletKey) return defaultPolicy();
  return crmPolicy(deps, {
    ...(hello.cloudlet !== undefined ? { cloudlet: hello.cloudlet } : {}),
    ...(hello.resumeFrom !== undefined ? { resumeFrom: hello.resumeFrom } : {}),
  });
}
