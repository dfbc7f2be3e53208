import type { PlatformFeatures } from '@edge/platform';

/**
 * What placement needs to know about a platform: the per-platform table lives with the
 * platform plugins (`@edge/platform`), as the original's Controller links the plugins
 * to call `GetCloudletFeatures(platformType)`.
 */
export { platformFeatures, type PlatformFeatures } from '@edge/platform';

/** Operators whose fake cloudlets behave like IP-per-service clouds in tests. */
const PER_SERVICE_OPERATORS = new Set(['gcp', 'azure', 'aws']);

/** Whether each Kubernetes service gets its own IP (no shared root LB ports). */
export function ipAllocatedPerService(f: PlatformFeatures, operator: string): boolean {
  return f.isFake ? PER_SERVICE_OPERATORS.has(operator) : f.ipAllocatedPerService;
}
