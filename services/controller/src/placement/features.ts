import { edgeproto } from '@edge/proto';

/** What placement needs to know about a platform (the original's platform.Features, in part). */
export interface PlatformFeatures {
  readonly isFake: boolean;
  readonly cloudletServicesLocal: boolean;
  readonly ipAllocatedPerService: boolean;
  readonly kubernetesRequiresWorkerNodes: boolean;
  readonly supportsKubernetesOnly: boolean;
  readonly isSingleKubernetesCluster: boolean;
  readonly supportsMultiTenantCluster: boolean;
  readonly supportsSharedVolume: boolean;
  readonly supportsAdditionalNetworks: boolean;
  readonly supportsAppInstDedicatedIp: boolean;
}

const NONE: PlatformFeatures = {
  isFake: false,
  cloudletServicesLocal: false,
  ipAllocatedPerService: false,
  kubernetesRequiresWorkerNodes: false,
  supportsKubernetesOnly: false,
  isSingleKubernetesCluster: false,
  supportsMultiTenantCluster: false,
  supportsSharedVolume: false,
  supportsAdditionalNetworks: false,
  supportsAppInstDedicatedIp: false,
};

const P = edgeproto.PlatformType;
const FAKE: Partial<PlatformFeatures> = {
  isFake: true,
  cloudletServicesLocal: true,
  supportsMultiTenantCluster: true,
  supportsSharedVolume: true,
  supportsAdditionalNetworks: true,
};
const MANAGED_K8S: Partial<PlatformFeatures> = {
  ipAllocatedPerService: true,
  kubernetesRequiresWorkerNodes: true,
  supportsKubernetesOnly: true,
};
const VM_LAYER: Partial<PlatformFeatures> = {
  supportsMultiTenantCluster: true,
  supportsAdditionalNetworks: true,
};

/**
 * Features by platform, as the platform plugins report them (ME fake/dind/kind, MI
 * infra platforms). TODO: take these from the CRM's reported features once CloudletInfo
 * carries them.
 */
const BY_PLATFORM: Partial<Record<edgeproto.PlatformType, Partial<PlatformFeatures>>> = {
  [P.FAKE]: FAKE,
  [P.FAKE_VM_POOL]: FAKE,
  [P.FAKEINFRA]: { ...FAKE, cloudletServicesLocal: false },
  [P.FAKE_SINGLE_CLUSTER]: { ...FAKE, isSingleKubernetesCluster: true },
  [P.DIND]: { cloudletServicesLocal: true, supportsMultiTenantCluster: true },
  [P.KIND]: { cloudletServicesLocal: true, supportsMultiTenantCluster: true },
  [P.KINDINFRA]: { cloudletServicesLocal: true, supportsMultiTenantCluster: true },
  [P.EDGEBOX]: { cloudletServicesLocal: true },
  [P.LOCAL]: { cloudletServicesLocal: true, supportsMultiTenantCluster: true },
  [P.AZURE]: MANAGED_K8S,
  [P.GCP]: MANAGED_K8S,
  [P.AWS_EKS]: MANAGED_K8S,
  [P.K8S_BARE_METAL]: { isSingleKubernetesCluster: true, supportsKubernetesOnly: true },
  [P.OPENSTACK]: { ...VM_LAYER, supportsSharedVolume: true },
  [P.VSPHERE]: VM_LAYER,
  [P.VCD]: VM_LAYER,
  [P.AWS_EC2]: VM_LAYER,
};

/** The features of a platform type. */
export function platformFeatures(type: edgeproto.PlatformType): PlatformFeatures {
  return { ...NONE, ...BY_PLATFORM[type] };
}

/** Operators whose fake cloudlets behave like IP-per-service clouds in tests. */
const PER_SERVICE_OPERATORS = new Set(['gcp', 'azure', 'aws']);

/** Whether each Kubernetes service gets its own IP (no shared root LB ports). */
export function ipAllocatedPerService(f: PlatformFeatures, operator: string): boolean {
  return f.isFake ? PER_SERVICE_OPERATORS.has(operator) : f.ipAllocatedPerService;
}
